import { describe, expect, it } from 'vitest';
import { servedCertificate } from './test-certs.js';
import { context, withTls } from './test-site.js';
import { tlsHostname } from './tls-hostname.js';

describe('tls-hostname', () => {
  it('passes when the handshake matched the host', async () => {
    const leaf = await servedCertificate({ key: 'ec', curve: 'prime256v1', host: 'example.test' });
    const [finding] = tlsHostname(withTls({ chain: [leaf], hostnameMatches: true }), context);
    expect(finding).toMatchObject({ result: 'tls-hostname-matches', pass: true });
    expect(finding!.data).toEqual({ subjectAltNames: ['example.test'] });
  });

  it('fails a certificate for another host and names what it covers', async () => {
    const leaf = await servedCertificate({ key: 'ec', curve: 'prime256v1', host: 'other.test' });
    const [finding] = tlsHostname(withTls({ chain: [leaf], hostnameMatches: false }), context);
    expect(finding).toMatchObject({
      result: 'tls-hostname-mismatch',
      pass: false,
      severity: 'high',
      scoreModifier: -20,
    });
    expect(finding!.evidence).toBe('host example.test; certificate names: other.test');
    expect(finding!.recommendation).toContain('example.test');
  });
});
