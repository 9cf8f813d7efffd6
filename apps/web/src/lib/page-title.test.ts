import { describe, expect, it } from 'vitest';
import { pageTitle } from './page-title';

describe('pageTitle', () => {
  it('ends with the organisation name when there is one, else with Bastion', () => {
    expect(pageTitle('Leads', 'Exit Three')).toBe('Leads · Exit Three');
    expect(pageTitle('Leads', null)).toBe('Leads · Bastion');
    expect(pageTitle(undefined, 'Exit Three')).toBe('Exit Three');
    expect(pageTitle(undefined, null)).toBe('Bastion');
  });
});
