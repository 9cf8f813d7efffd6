import { describe, expect, it } from 'vitest';
import { crossOriginResourcePolicy } from './cross-origin-resource-policy.js';
import { resultOf } from './test-site.js';
import type { Check } from '../types.js';

const run = (check: Check, name: string, value?: string | string[]) => {
  const f = resultOf(check, { headers: value === undefined ? {} : { [name]: value } });
  return [f.result, f.pass, f.scoreModifier];
};

describe('cross-origin-resource-policy', () => {
  const corp = (v?: string) => run(crossOriginResourcePolicy, 'cross-origin-resource-policy', v);
  it('results', () => {
    expect(corp()).toEqual(['corp-not-implemented', true, 0]);
    expect(corp('same-origin')).toEqual(['corp-implemented-with-same-origin', true, 10]);
    expect(corp(' Same-Site ')).toEqual(['corp-implemented-with-same-site', true, 10]);
    expect(corp('cross-origin')).toEqual(['corp-implemented-with-cross-origin', true, 0]);
    expect(corp('same-origin; x')).toEqual(['corp-header-invalid', false, -5]);
  });
});
