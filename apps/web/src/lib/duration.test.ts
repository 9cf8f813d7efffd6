import { describe, expect, it } from 'vitest';
import { formatDuration, formatMilliseconds } from './duration';

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45.7, '45 s'],
    [60, '1 min'],
    [180, '3 min'],
    [3599, '59 min'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
    [86400, '1 d'],
    [3 * 86400 + 4 * 3600 + 59, '3 d 4 h'],
    [-5, '0 s'],
  ])('formats %s seconds as "%s"', (seconds, expected) => {
    expect(formatDuration(seconds)).toBe(expected);
  });
});

describe('formatMilliseconds', () => {
  it.each([
    [null, '—'],
    [0, '0 ms'],
    [850, '850 ms'],
    [2430, '2.4 s'],
  ])('formats %s as "%s"', (ms, expected) => {
    expect(formatMilliseconds(ms)).toBe(expected);
  });
});
