import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatTimestamp } from './dates';

const instant = '2026-03-04T15:05:09.000Z';
const local = new Date(instant);

describe('date formatters', () => {
  it('show a dash for a missing or unreadable value', () => {
    for (const formatter of [formatDay, formatDateTime, formatTimestamp]) {
      expect(formatter(null)).toBe('—');
      expect(formatter(undefined)).toBe('—');
      expect(formatter('')).toBe('—');
      expect(formatter('not a date')).toBe('—');
    }
  });

  it('formats the day alone, with the year', () => {
    const text = formatDay(instant);
    expect(text).toContain(String(local.getFullYear()));
    expect(text).toContain(String(local.getDate()));
    expect(text).not.toContain(String(local.getMinutes()).padStart(2, '0'));
  });

  it('adds the time to the minute, and to the second for timestamps (without the year)', () => {
    const minutes = String(local.getMinutes()).padStart(2, '0');
    const seconds = String(local.getSeconds()).padStart(2, '0');
    expect(formatDateTime(instant)).toContain(minutes);
    expect(formatDateTime(instant)).toContain(String(local.getFullYear()));
    expect(formatTimestamp(instant)).toContain(`${minutes}:${seconds}`);
    expect(formatTimestamp(instant)).not.toContain(String(local.getFullYear()));
  });
});
