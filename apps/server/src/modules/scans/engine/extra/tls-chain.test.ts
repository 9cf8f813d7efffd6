import { describe, expect, it } from 'vitest';
import { servedCertificate } from './test-certs.js';
import { certificate, context, site, withTls } from './test-site.js';
import { tlsCertificateChain } from './tls-chain.js';

describe('tls-certificate-chain', () => {
  it('passes a chain that verified', () => {
    const [finding] = tlsCertificateChain(withTls({ chain: [certificate()] }), context);
    expect(finding).toMatchObject({
      result: 'tls-certificate-chain-valid',
      pass: true,
      scoreModifier: 0,
    });
    expect(finding!.evidence).toBe('issuer: CN=Example CA');
  });

  it('calls a real self-signed certificate self-signed', async () => {
    const leaf = await servedCertificate({ key: 'ec', curve: 'prime256v1' });
    const tls = {
      authorized: false,
      authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      chain: [leaf],
    };
    const [finding] = tlsCertificateChain(withTls(tls), context);
    expect(finding).toMatchObject({
      result: 'tls-certificate-self-signed',
      pass: false,
      severity: 'high',
      scoreModifier: -20,
      evidence: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
  });

  it('fails an incomplete chain', () => {
    const tls = {
      authorized: false,
      authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      chain: [certificate()],
    };
    const [finding] = tlsCertificateChain(withTls(tls), context);
    expect(finding).toMatchObject({ result: 'tls-certificate-chain-invalid', pass: false });
  });

  it('does not apply without TLS', () => {
    const base = site();
    const plain = { ...base.final!, url: 'http://example.test/', tls: null };
    const [finding] = tlsCertificateChain(
      site({ https: { hops: [plain], error: null }, final: plain }),
      context,
    );
    expect(finding).toMatchObject({
      result: 'tls-certificate-chain-not-tested',
      pass: null,
      scoreModifier: 0,
    });
  });

  it('does not apply when the https chain got no response', () => {
    const [finding] = tlsCertificateChain(
      site({ https: { hops: [], error: 'ECONNREFUSED' } }),
      context,
    );
    expect(finding!.pass).toBeNull();
  });
});
