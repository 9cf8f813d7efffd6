import { describe, expect, it } from 'vitest';
import { servedCertificate, type CertificateOptions } from './test-certs.js';
import { certificate, context, withTls } from './test-site.js';
import { tlsSignatureAlgorithm } from './tls-signature.js';

describe('tls-signature-algorithm (real certificates)', () => {
  it.each<[string, CertificateOptions, string, boolean]>([
    ['SHA-1 fails', { key: 'rsa:2048', digest: 'sha1' }, 'tls-signature-algorithm-weak', false],
    ['MD5 fails', { key: 'rsa:2048', digest: 'md5' }, 'tls-signature-algorithm-weak', false],
    ['SHA-256 passes', { key: 'rsa:2048', digest: 'sha256' }, 'tls-signature-algorithm-ok', true],
    [
      'ECDSA with SHA-384 passes',
      { key: 'ec', curve: 'secp384r1', digest: 'sha384' },
      'tls-signature-algorithm-ok',
      true,
    ],
    ['Ed25519 passes', { key: 'ed25519' }, 'tls-signature-algorithm-ok', true],
  ])('%s', async (_label, options, result, pass) => {
    const leaf = await servedCertificate(options);
    const [finding] = tlsSignatureAlgorithm(withTls({ chain: [leaf] }), context);
    expect(finding).toMatchObject({ result, pass, scoreModifier: pass ? 0 : -20 });
    expect(finding!.evidence).toContain(leaf.signatureAlgorithm);
  });

  it('fails a SHA-1 intermediate but ignores a SHA-1 self-signed root', () => {
    const leaf = certificate();
    const root = certificate({
      subject: 'CN=Root',
      issuer: 'CN=Root',
      selfIssued: true,
      signatureAlgorithm: 'sha1WithRSAEncryption',
    });
    const [withRoot] = tlsSignatureAlgorithm(withTls({ chain: [leaf, root] }), context);
    expect(withRoot!.pass).toBe(true);
    const intermediate = certificate({
      subject: 'CN=Intermediate',
      signatureAlgorithm: 'sha1WithRSAEncryption',
    });
    const [withIntermediate] = tlsSignatureAlgorithm(
      withTls({ chain: [leaf, intermediate, root] }),
      context,
    );
    expect(withIntermediate).toMatchObject({
      pass: false,
      evidence: 'CN=Intermediate: sha1WithRSAEncryption',
    });
  });

  it('does not read sha1 into sha128-like names', () => {
    const [finding] = tlsSignatureAlgorithm(
      withTls({ chain: [certificate({ signatureAlgorithm: 'sha512WithRSAEncryption' })] }),
      context,
    );
    expect(finding!.pass).toBe(true);
  });
});
