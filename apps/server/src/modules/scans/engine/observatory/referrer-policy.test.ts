import { describe, expect, it } from 'vitest';
import { referrerPolicy } from './referrer-policy.js';
import { resultOf, type SiteSpec } from './test-site.js';

const ref = (value: string | null, extra: SiteSpec = {}) =>
  resultOf(referrerPolicy, {
    ...extra,
    headers: value === null ? {} : { 'referrer-policy': value },
  });

describe('referrer-policy', () => {
  it('private policies earn +5', () => {
    for (const v of [
      'no-referrer',
      'same-origin',
      'strict-origin',
      'Strict-Origin-When-Cross-Origin',
    ]) {
      const f = ref(v);
      expect([f.result, f.pass, f.scoreModifier], v).toEqual(['referrer-policy-private', true, 5]);
    }
  });

  it('absent passes without bonus', () => {
    expect([ref(null).result, ref(null).pass, ref(null).scoreModifier]).toEqual([
      'referrer-policy-not-implemented',
      true,
      0,
    ]);
  });

  it('leaky policies and nonsense: -5', () => {
    expect(ref('unsafe-url').result).toBe('referrer-policy-unsafe');
    expect(ref('no-referrer-when-downgrade').scoreModifier).toBe(-5);
    expect(ref('nope').result).toBe('referrer-policy-header-invalid');
  });

  it('the last recognised value wins, and <meta name="referrer"> comes after the header', () => {
    expect(ref('no-referrer, nope, unsafe-url, bogus').result).toBe('referrer-policy-unsafe');
    expect(ref('unsafe-url, no-referrer').result).toBe('referrer-policy-private');
    const f = ref('unsafe-url', {
      html: '<html><head><meta name="referrer" content="no-referrer"></head></html>',
    });
    expect([f.result, f.evidence]).toEqual(['referrer-policy-private', 'unsafe-url, no-referrer']);
    expect(ref(null, { html: '<meta name="referrer" content="origin">' }).result).toBe(
      'referrer-policy-unsafe',
    );
  });
});
