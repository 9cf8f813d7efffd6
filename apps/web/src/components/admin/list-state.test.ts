import { describe, expect, it } from 'vitest';
import { cleanFilters, nextSort, parseFilters, readListState, writeListState } from './list-state';

describe('a list state in the URL', () => {
  it('round-trips search, filters, sort, columns, cursor, view, deleted rows and counts', () => {
    const state = {
      q: 'grace',
      filters: { status: 'new', createdAt: { from: '2026-01-01T00:00:00.000Z' }, ownerId: null },
      sort: '-createdAt',
      columns: ['fullName', 'status'],
      cursor: 'abc',
      view: 'v1',
      deleted: 'only' as const,
      counts: true,
    };
    const query = writeListState(state);
    expect(query).toEqual({
      q: 'grace',
      f: JSON.stringify(state.filters),
      sort: '-createdAt',
      cols: 'fullName,status',
      cursor: 'abc',
      view: 'v1',
      deleted: 'only',
      counts: '1',
    });
    expect(readListState(query as Record<string, string>)).toEqual(state);
  });

  it('leaves blanks out, so a fresh list has a clean URL', () => {
    expect(writeListState({ q: '', filters: { status: '', tags: [], createdAt: {} } })).toEqual({});
    // `null` is a filter of its own: "is empty".
    expect(cleanFilters({ revokedAt: null, status: '' })).toEqual({ revokedAt: null });
  });

  it('reads a hand-edited or broken `f` as no filters', () => {
    expect(parseFilters('{not json')).toEqual({});
    expect(parseFilters('[1,2]')).toEqual({});
    expect(parseFilters('"x"')).toEqual({});
    expect(readListState({}).columns).toEqual([]);
  });

  it('sorts a column ascending first, then descending', () => {
    expect(nextSort('-createdAt', 'fullName')).toBe('fullName');
    expect(nextSort('fullName', 'fullName')).toBe('-fullName');
    expect(nextSort('-fullName', 'fullName')).toBe('fullName');
  });
});
