import { describe, expect, it } from 'vitest';
import { hstsEveryHop } from './hsts-every-hop.js';
import { context, headers, hop, site } from './test-site.js';

const HSTS = { 'strict-transport-security': 'max-age=63072000; includeSubDomains' };

describe('hsts-every-hop', () => {
  it('passes when every https response sets HSTS', () => {
    expect(hstsEveryHop(site(), context)[0]).toMatchObject({
      result: 'hsts-on-every-hop',
      pass: true,
      evidence: 'https://example.test/',
    });
  });

  it('fails an https redirect without HSTS even when the final page has it', () => {
    const redirect = hop('https://example.test/', {
      status: 301,
      headers: headers({ location: 'https://www.example.test/' }),
    });
    const final = hop('https://www.example.test/', { headers: headers(HSTS) });
    const base = site();
    const result = hstsEveryHop(
      site({
        http: { hops: [base.http.hops[0]!, redirect, final], error: null },
        https: { hops: [redirect, final], error: null },
        final,
      }),
      context,
    )[0]!;
    expect(result).toMatchObject({
      result: 'hsts-missing-on-some-hops',
      pass: false,
      severity: 'medium',
      scoreModifier: -10,
      description: '1 of 2 HTTPS responses set no Strict-Transport-Security.',
      evidence: 'https://example.test/ (301)',
    });
  });

  it('treats max-age=0 and a malformed header as missing', () => {
    for (const value of ['max-age=0', 'max-age=abc', 'includeSubDomains']) {
      const final = hop('https://example.test/', {
        headers: headers({ 'strict-transport-security': value }),
      });
      const result = hstsEveryHop(
        site({ https: { hops: [final], error: null }, http: { hops: [], error: null }, final }),
        context,
      )[0]!;
      expect(result.pass, value).toBe(false);
    }
  });

  it('ignores plain-http hops and does not apply without https', () => {
    const plain = hop('http://example.test/');
    const result = hstsEveryHop(
      site({
        http: { hops: [plain], error: null },
        https: { hops: [], error: 'ECONNREFUSED' },
        final: plain,
      }),
      context,
    );
    expect(result[0]).toMatchObject({ result: 'hsts-every-hop-not-applicable', pass: null });
  });
});
