import { describe, expect, it } from 'vitest';
import { strictTransportSecurity } from './strict-transport-security.js';
import { resultOf, type SiteSpec } from './test-site.js';

const hsts = (value: string | string[] | null, extra: SiteSpec = {}) =>
  resultOf(strictTransportSecurity, {
    ...extra,
    headers: value === null ? {} : { 'strict-transport-security': value },
  });

describe('strict-transport-security', () => {
  it('six months (180 days is accepted) passes', () => {
    expect(hsts('max-age=15552000').result).toBe('hsts-implemented-max-age-at-least-six-months');
    const f = hsts('max-age=63072000; includeSubDomains; preload');
    expect([f.result, f.pass, f.scoreModifier, f.evidence]).toEqual([
      'hsts-implemented-max-age-at-least-six-months',
      true,
      0,
      'max-age=63072000; includeSubDomains; preload',
    ]);
    expect(f.data).toMatchObject({ maxAge: 63072000, includeSubDomains: true, preload: true });
  });

  it('shorter than six months: -10', () => {
    const f = hsts('max-age=15551999');
    expect([f.result, f.pass, f.scoreModifier, f.severity]).toEqual([
      'hsts-implemented-max-age-less-than-six-months',
      false,
      -10,
      'low',
    ]);
    expect(hsts('max-age=0').result).toBe('hsts-implemented-max-age-less-than-six-months');
  });

  it('missing, unparseable or repeated: -20', () => {
    expect([hsts(null).result, hsts(null).scoreModifier]).toEqual(['hsts-not-implemented', -20]);
    expect(hsts('includeSubDomains').result).toBe('hsts-header-invalid');
    expect(hsts(['max-age=31536000', 'max-age=31536000']).result).toBe('hsts-header-invalid');
  });

  it('needs HTTPS and a certificate that verifies', () => {
    expect(hsts('max-age=31536000', { https: 'none', http: 'stay' }).result).toBe(
      'hsts-not-implemented-no-https',
    );
    expect(hsts('max-age=31536000', { https: 'bad-cert' }).result).toBe('hsts-invalid-cert');
  });

  it('a preloaded host passes with +5 whatever its header', () => {
    const f = hsts(null, { host: 'preloaded.obs.test' });
    expect([f.result, f.pass, f.scoreModifier]).toEqual(['hsts-preloaded', true, 5]);
    expect(hsts(null, { host: 'www.preloaded.obs.test' }).result).toBe('hsts-preloaded');
    expect(hsts(null, { host: 'exact.obs.test' }).result).toBe('hsts-preloaded');
    // exact.obs.test does not include its subdomains.
    expect(hsts(null, { host: 'www.exact.obs.test' }).result).toBe('hsts-not-implemented');
    // Without an HTTPS answer the preload list is not consulted.
    expect(hsts(null, { host: 'preloaded.obs.test', https: 'none', http: 'stay' }).result).toBe(
      'hsts-not-implemented-no-https',
    );
  });
});
