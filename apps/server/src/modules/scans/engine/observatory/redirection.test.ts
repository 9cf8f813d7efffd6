import { describe, expect, it } from 'vitest';
import { redirection } from './redirection.js';
import { resultOf, type SiteSpec } from './test-site.js';

const via = (http: SiteSpec['http'], extra: SiteSpec = {}) =>
  resultOf(redirection, { ...extra, http });

describe('redirection', () => {
  it('http → https on the same host passes', () => {
    const f = via('redirect');
    expect([f.result, f.pass, f.scoreModifier]).toEqual(['redirection-to-https', true, 0]);
    expect(f.evidence).toBe('http://site.obs.test/ → https://site.obs.test/');
    expect(
      via(['http://site.obs.test/', 'https://site.obs.test/', 'https://www.site.obs.test/']).result,
    ).toBe('redirection-to-https');
  });

  it('no plain HTTP at all passes', () => {
    expect(via('none').result).toBe('redirection-not-needed-no-http');
  });

  it('staying on HTTP fails with -20', () => {
    const f = via('stay');
    expect([f.result, f.pass, f.scoreModifier]).toEqual(['redirection-missing', false, -20]);
  });

  it('ending on HTTP fails with -20', () => {
    expect(via(['http://site.obs.test/', 'http://site.obs.test/home']).result).toBe(
      'redirection-not-to-https',
    );
  });

  it('a first hop to another http:// URL: -10', () => {
    const f = via([
      'http://site.obs.test/',
      'http://www.site.obs.test/',
      'https://www.site.obs.test/',
    ]);
    expect([f.result, f.scoreModifier]).toEqual([
      'redirection-not-to-https-on-initial-redirection',
      -10,
    ]);
  });

  it('straight to HTTPS on another host: -5', () => {
    const f = via(['http://site.obs.test/', 'https://www.site.obs.test/']);
    expect([f.result, f.scoreModifier]).toEqual(['redirection-off-host-from-http', -5]);
  });

  it('an invalid certificate on the way: -20', () => {
    expect(via('redirect', { https: 'bad-cert' }).result).toBe('redirection-invalid-cert');
  });

  it('every host on the preload list passes', () => {
    const f = via(['http://preloaded.obs.test/', 'http://www.preloaded.obs.test/'], {
      host: 'preloaded.obs.test',
    });
    expect([f.result, f.pass]).toEqual(['redirection-all-redirects-preloaded', true]);
  });
});
