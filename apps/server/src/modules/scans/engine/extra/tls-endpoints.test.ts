import { describe, expect, it } from 'vitest';
import { certificate, context, headers, hop, site, tls } from './test-site.js';
import { tlsCertificateExpiry } from './tls-expiry.js';
import { tlsEndpoints } from './tls-endpoints.js';
import { tlsHostname } from './tls-hostname.js';
import type { CertificateInfo, RetrievedSite } from '../types.js';

/** https://example.test/ → https://www.example.test/, each with its own certificate. */
function redirected(apex: CertificateInfo, www: CertificateInfo, wwwMatches = true): RetrievedSite {
  const first = hop('https://example.test/', {
    status: 301,
    headers: headers({ location: 'https://www.example.test/' }),
    tls: tls({ chain: [apex] }),
  });
  const final = hop('https://www.example.test/', {
    tls: tls({ chain: [www], hostnameMatches: wwwMatches }),
  });
  const plain = hop('http://example.test/', {
    status: 301,
    headers: headers({ location: 'https://example.test/' }),
  });
  return site({
    https: { hops: [first, final], error: null },
    http: { hops: [plain, first, final], error: null },
    final,
  });
}

describe('TLS endpoints', () => {
  it('lists each TLS host once, the target first', () => {
    const endpoints = tlsEndpoints(redirected(certificate(), certificate()));
    expect(endpoints.map((endpoint) => endpoint.url)).toEqual([
      'https://example.test/',
      'https://www.example.test/',
    ]);
  });

  it('reports the expired certificate of the host a redirect led to', () => {
    const expired = certificate({
      subjectAltNames: ['www.example.test'],
      validTo: '2026-05-01T00:00:00.000Z',
    });
    const [finding] = tlsCertificateExpiry(redirected(certificate(), expired), context);
    expect(finding).toMatchObject({
      result: 'tls-certificate-expired',
      severity: 'critical',
      evidence: 'www.example.test: valid until 2026-05-01T00:00:00.000Z',
    });
    expect(finding!.data!.endpoints).toEqual([
      { host: 'example.test', result: 'tls-certificate-expiry-ok', pass: true },
      { host: 'www.example.test', result: 'tls-certificate-expired', pass: false },
    ]);
  });

  it('checks the name against the host it was served for', () => {
    const [finding] = tlsHostname(redirected(certificate(), certificate(), false), context);
    expect(finding).toMatchObject({ result: 'tls-hostname-mismatch' });
    expect(finding!.evidence).toBe(
      'www.example.test: host www.example.test; certificate names: example.test',
    );
  });

  it('keeps the target when every endpoint passes', () => {
    const [finding] = tlsCertificateExpiry(redirected(certificate(), certificate()), context);
    expect(finding!.evidence).toMatch(/^example\.test: /);
    expect(finding!.pass).toBe(true);
  });
});
