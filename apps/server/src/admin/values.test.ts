import { describe, expect, it } from 'vitest';
import { diff } from './values.js';

describe('the per-field diff of an admin write', () => {
  it('lists the fields that changed, with before and after', () => {
    expect(diff({ name: 'Ada', tags: ['a'] }, { name: 'Ada L.', tags: ['a'] })).toEqual({
      name: { before: 'Ada', after: 'Ada L.' },
    });
    expect(diff({}, { name: 'Ada' })).toEqual({ name: { before: null, after: 'Ada' } });
  });

  it('leaves out a bumped updatedAt next to real changes, keeps it when it is the only one', () => {
    const before = { name: 'Ada', updatedAt: '2026-12-01T10:00:00.000Z' };
    const after = { name: 'Ada L.', updatedAt: '2026-12-03T10:00:00.000Z' };
    expect(diff(before, after)).toEqual({ name: { before: 'Ada', after: 'Ada L.' } });
    expect(diff(before, { ...before, updatedAt: after.updatedAt })).toEqual({
      updatedAt: { before: before.updatedAt, after: after.updatedAt },
    });
  });
});
