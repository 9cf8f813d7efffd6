import { describe, expect, it } from 'vitest';
import { crossOriginOpenerPolicy } from './cross-origin-opener-policy.js';
import { resultOf } from './test-site.js';
import type { Check } from '../types.js';

const run = (check: Check, name: string, value?: string | string[]) => {
  const f = resultOf(check, { headers: value === undefined ? {} : { [name]: value } });
  return [f.result, f.pass, f.scoreModifier];
};

describe('cross-origin-opener-policy', () => {
  const coop = (v?: string | string[]) =>
    run(crossOriginOpenerPolicy, 'cross-origin-opener-policy', v);
  it('results', () => {
    expect(coop()).toEqual(['coop-not-implemented', true, 0]);
    expect(coop('same-origin')).toEqual(['coop-implemented-with-same-origin', true, 10]);
    expect(coop('same-origin; report-to="coop"')).toEqual([
      'coop-implemented-with-same-origin',
      true,
      10,
    ]);
    expect(coop('same-origin-allow-popups')).toEqual([
      'coop-implemented-with-same-origin-allow-popups',
      true,
      10,
    ]);
    expect(coop('noopener-allow-popups')).toEqual([
      'coop-implemented-with-noopener-allow-popups',
      true,
      10,
    ]);
    expect(coop('unsafe-none')).toEqual(['coop-implemented-with-unsafe-none', true, 0]);
  });
  it('a quoted string, an unknown token, a list or a repeated header is invalid', () => {
    for (const v of [
      '"same-origin"',
      'Same-Origin',
      'nope',
      'same-origin, unsafe-none',
      ['same-origin', 'same-origin'],
    ]) {
      expect(coop(v), String(v)).toEqual(['coop-header-invalid', false, -5]);
    }
  });
});
