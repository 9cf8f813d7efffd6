import { describe, expect, it } from 'vitest';
import { resultOf, type SiteSpec } from './test-site.js';
import { xFrameOptions } from './x-frame-options.js';

const xfo = (headers: Record<string, string>, extra: SiteSpec = {}) =>
  resultOf(xFrameOptions, { ...extra, headers });

describe('x-frame-options', () => {
  it('DENY / SAMEORIGIN: +5', () => {
    for (const v of ['DENY', 'sameorigin']) {
      const f = xfo({ 'x-frame-options': v });
      expect([f.result, f.pass, f.scoreModifier]).toEqual([
        'x-frame-options-sameorigin-or-deny',
        true,
        5,
      ]);
    }
  });
  it('ALLOW-FROM passes without bonus; missing or invalid: -20', () => {
    expect(xfo({ 'x-frame-options': 'ALLOW-FROM https://a.example' }).result).toBe(
      'x-frame-options-allow-from-origin',
    );
    expect([xfo({}).result, xfo({}).scoreModifier]).toEqual([
      'x-frame-options-not-implemented',
      -20,
    ]);
    expect(xfo({ 'x-frame-options': 'maybe' }).result).toBe('x-frame-options-header-invalid');
  });
  it('CSP frame-ancestors wins over the header', () => {
    const f = xfo({
      'x-frame-options': 'maybe',
      'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
    });
    expect([f.result, f.scoreModifier, f.evidence]).toEqual([
      'x-frame-options-implemented-via-csp',
      5,
      "frame-ancestors 'none'",
    ]);
  });
  it('frame-ancestors in an invalid CSP does not count', () => {
    expect(
      xfo({ 'content-security-policy': "frame-ancestors 'none'; frame-ancestors 'self'" }).result,
    ).toBe('x-frame-options-not-implemented');
  });
  it('documented rule over MDN scanner behaviour: frame-ancestors in <meta> does not count', () => {
    // Browsers ignore frame-ancestors in a meta policy (CSP3 §6.4.2; MDN's frame-ancestors page),
    // and Observatory's own CSP test drops it there, but its X-Frame-Options test reads the
    // combined policy and would award +5 for this page. We follow the documented rule.
    const f = xfo(
      {},
      {
        html: `<head><meta http-equiv="content-security-policy" content="default-src 'self'; frame-ancestors 'none'"></head>`,
      },
    );
    expect(f.result).toBe('x-frame-options-not-implemented');
  });
});
