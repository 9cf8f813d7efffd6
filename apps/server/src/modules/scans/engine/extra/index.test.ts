// Properties every extra check shares, run over a good site, a bad one and an empty one.
import { findingSchema } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { PROBE_PATHS } from '../retriever.js';
import { EXTRA_PROBE_PATHS, extraChecks, scoreExtra } from './index.js';
import { context, headers, hop, probe, site, withFinalHeaders } from './test-site.js';
import type { RetrievedSite } from '../types.js';

const good = withFinalHeaders({
  'strict-transport-security': 'max-age=63072000',
  'content-security-policy':
    "script-src 'nonce-r4nd0mR4nd0mR4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'",
  'permissions-policy': 'camera=(), microphone=(), geolocation=()',
});
good.probes = {
  '/.git/HEAD': probe('https://example.test/.git/HEAD', 404, ''),
  '/.env': probe('https://example.test/.env', 404, ''),
  '/server-status': probe('https://example.test/server-status', 404, ''),
  '/.well-known/security.txt': probe(
    'https://example.test/.well-known/security.txt',
    200,
    'Contact: mailto:security@example.test\nExpires: 2026-12-31T00:00:00Z\n',
  ),
  '/security.txt': probe('https://example.test/security.txt', 404, ''),
};

const bad: RetrievedSite = {
  ...withFinalHeaders(
    { server: 'Apache/2.2.3', 'content-security-policy-report-only': "default-src 'self'" },
    '<script src="http://cdn.test/a.js"></script>',
  ),
  tlsVersions: { TLSv1: true, 'TLSv1.1': true, 'TLSv1.2': true, 'TLSv1.3': false },
  probes: { '/.env': probe('https://example.test/.env', 200, 'DB_PASSWORD=x\nAPI_KEY=y') },
};

const empty: RetrievedSite = {
  ...site(),
  http: { hops: [], error: 'ECONNREFUSED' },
  https: { hops: [], error: 'ECONNREFUSED' },
  final: null,
  html: null,
  notFound: null,
  probes: {},
  tlsVersions: null,
};

describe('extraChecks', () => {
  it.each([
    ['good', good],
    ['bad', bad],
    ['empty', empty],
    [
      'plain http',
      site({
        final: hop('http://example.test/', { headers: headers({}) }),
        https: { hops: [], error: 'x' },
      }),
    ],
  ])('every finding of a %s site is well-formed', (_label, retrieved) => {
    const findings = extraChecks.flatMap((check) => check(retrieved, context));
    expect(findings.length).toBeGreaterThanOrEqual(extraChecks.length);
    for (const finding of findings) {
      expect(findingSchema.parse(finding)).toEqual(finding);
      expect(finding.source).toBe('extra');
      expect(finding.docs).toMatch(
        /^https:\/\/(developer\.mozilla\.org|www\.rfc-editor\.org|owasp\.org|cheatsheetseries\.owasp\.org|web\.dev)\//,
      );
      if (finding.pass === false) {
        expect(finding.recommendation, finding.result).toBeTruthy();
        expect(finding.scoreModifier, finding.result).toBeLessThanOrEqual(0);
      }
      if (finding.scoreModifier > 0) expect(finding.pass).toBe(true);
    }
  });

  it('grades a good site A+ and a bad one F', () => {
    const grade = (retrieved: RetrievedSite) =>
      scoreExtra(extraChecks.flatMap((check) => check(retrieved, context)));
    expect(grade(good)).toEqual({ score: 100, grade: 'A+' });
    expect(grade(bad).grade).toBe('F');
  });

  it('the retriever fetches every path a check reads', () => {
    expect(EXTRA_PROBE_PATHS).toEqual([
      '/.git/HEAD',
      '/.env',
      '/server-status',
      '/.well-known/security.txt',
      '/security.txt',
    ]);
    for (const path of EXTRA_PROBE_PATHS) expect(PROBE_PATHS).toContain(path);
  });
});
