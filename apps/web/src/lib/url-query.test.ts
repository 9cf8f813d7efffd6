import { describe, expect, it } from 'vitest';
import { listQuery } from './url-query';

describe('listQuery', () => {
  it('keeps chosen values as strings and drops empty ones and page 1', () => {
    expect(listQuery({ search: 'ada', role: '', owner: undefined, note: null, page: 1 })).toEqual({
      search: 'ada',
    });
    expect(listQuery({ page: 3, status: 'new' })).toEqual({ page: '3', status: 'new' });
  });
});
