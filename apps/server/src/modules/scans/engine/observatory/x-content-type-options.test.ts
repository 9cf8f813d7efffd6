import { describe, expect, it } from 'vitest';
import { resultOf } from './test-site.js';
import { xContentTypeOptions } from './x-content-type-options.js';

const xcto = (value?: string | string[]) =>
  resultOf(xContentTypeOptions, {
    headers: value === undefined ? {} : { 'x-content-type-options': value },
  });

describe('x-content-type-options', () => {
  it('nosniff passes', () => {
    const f = xcto(' NoSniff ');
    expect([f.result, f.pass, f.scoreModifier, f.evidence]).toEqual([
      'x-content-type-options-nosniff',
      true,
      0,
      ' NoSniff ',
    ]);
  });
  it('missing or anything else: -5', () => {
    expect([xcto().result, xcto().scoreModifier]).toEqual([
      'x-content-type-options-not-implemented',
      -5,
    ]);
    expect(xcto('sniff').result).toBe('x-content-type-options-header-invalid');
    // Sent twice the values join ("nosniff, nosniff"), which is not nosniff.
    expect(xcto(['nosniff', 'nosniff']).result).toBe('x-content-type-options-header-invalid');
  });
});
