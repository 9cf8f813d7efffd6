import { describe, expect, it } from 'vitest';
import { crossOriginEmbedderPolicy } from './cross-origin-embedder-policy.js';
import { resultOf } from './test-site.js';
import type { Check } from '../types.js';

const run = (check: Check, name: string, value?: string | string[]) => {
  const f = resultOf(check, { headers: value === undefined ? {} : { [name]: value } });
  return [f.result, f.pass, f.scoreModifier];
};

describe('cross-origin-embedder-policy', () => {
  const coep = (v?: string | string[]) =>
    run(crossOriginEmbedderPolicy, 'cross-origin-embedder-policy', v);
  it('results', () => {
    expect(coep()).toEqual(['coep-not-implemented', true, 0]);
    expect(coep('require-corp')).toEqual(['coep-implemented-with-require-corp', true, 10]);
    expect(coep('credentialless; report-to="e"')).toEqual([
      'coep-implemented-with-credentialless',
      true,
      10,
    ]);
    expect(coep('unsafe-none')).toEqual(['coep-implemented-with-unsafe-none', true, 0]);
    expect(coep('require-corp;;')).toEqual(['coep-header-invalid', false, -5]);
    expect(coep(['require-corp', 'require-corp'])).toEqual(['coep-header-invalid', false, -5]);
  });
});
