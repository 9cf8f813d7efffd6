// Hand-built RetrievedSite fixtures for the extra checks' tests: a well-configured HTTPS site by
// default, with helpers to change just the part a test is about.
import type {
  CertificateInfo,
  CheckContext,
  HeaderMap,
  Hop,
  Probe,
  RetrievedSite,
  TlsInfo,
} from '../types.js';

export const NOW = new Date('2026-06-01T12:00:00Z');

export const context: CheckContext = { now: NOW, isPreloaded: () => false };

export function headers(values: Record<string, string | string[]>): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of Object.entries(values)) {
    map[name.toLowerCase()] = Array.isArray(value) ? value : [value];
  }
  return map;
}

export function tls(overrides: Partial<TlsInfo> = {}): TlsInfo {
  return {
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    authorized: true,
    authorizationError: null,
    hostnameMatches: true,
    chain: [],
    ...overrides,
  };
}

export function hop(url: string, overrides: Partial<Hop> = {}): Hop {
  const https = url.startsWith('https:');
  return {
    url,
    address: '192.0.2.10',
    status: 200,
    headers: headers({ 'content-type': 'text/html; charset=utf-8' }),
    tls: https ? tls() : null,
    durationMs: 5,
    ...overrides,
  };
}

export function probe(
  url: string,
  status: number,
  body: string,
  contentType = 'text/plain',
): Probe {
  return {
    url,
    status,
    headers: headers({ 'content-type': contentType }),
    body,
    truncated: false,
    error: null,
  };
}

/** A site answering on https://example.test/ with an http → https redirect; override anything. */
export function site(overrides: Partial<RetrievedSite> = {}): RetrievedSite {
  const final = hop('https://example.test/', {
    headers: headers({
      'content-type': 'text/html; charset=utf-8',
      'strict-transport-security': 'max-age=63072000',
    }),
  });
  return {
    url: 'https://example.test/',
    hostname: 'example.test',
    http: {
      hops: [
        hop('http://example.test/', {
          status: 301,
          headers: headers({ location: 'https://example.test/' }),
        }),
        final,
      ],
      error: null,
    },
    https: { hops: [final], error: null },
    final,
    html: '<!doctype html><title>ok</title>',
    htmlBytes: 32,
    htmlTruncated: false,
    htmlSha256: null,
    httpEquiv: {},
    cookies: [],
    corsPreflight: null,
    notFound: probe('https://example.test/bastion-404', 404, 'Not found'),
    probes: {},
    tlsVersions: { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
    legacyTls: null,
    startedAt: NOW.toISOString(),
    durationMs: 50,
    ...overrides,
  };
}

/** The site with the final response's headers replaced (the https chain's only hop). */
export function withFinalHeaders(
  values: Record<string, string | string[]>,
  html?: string,
): RetrievedSite {
  const base = site();
  const final = { ...base.final!, headers: headers({ 'content-type': 'text/html', ...values }) };
  return site({
    final,
    https: { hops: [final], error: null },
    http: { hops: [base.http.hops[0]!, final], error: null },
    ...(html === undefined ? {} : { html }),
  });
}

/** The site with the target's TLS details (first https hop) replaced. */
export function withTls(overrides: Partial<TlsInfo>): RetrievedSite {
  const base = site();
  const final = { ...base.final!, tls: tls(overrides) };
  return site({
    final,
    https: { hops: [final], error: null },
    http: { hops: [base.http.hops[0]!, final], error: null },
  });
}

/** A hand-made leaf certificate, for checks that look at dates or names only. */
export function certificate(overrides: Partial<CertificateInfo> = {}): CertificateInfo {
  return {
    subject: 'CN=example.test',
    issuer: 'CN=Example CA',
    subjectAltNames: ['example.test'],
    validFrom: '2026-03-01T00:00:00.000Z',
    validTo: '2026-09-01T00:00:00.000Z',
    serialNumber: '01',
    fingerprint256: 'AA:BB',
    keyType: 'ec',
    keyBits: 256,
    curve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    selfIssued: false,
    pem: '',
    ...overrides,
  };
}
