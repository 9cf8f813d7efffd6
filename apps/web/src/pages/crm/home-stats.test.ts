import type { LeadStats } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { leadStats } from './home-stats';

describe('CRM home figures', () => {
  it('sums the lead stats into totals, open leads and the last seven days', () => {
    const stats: LeadStats = {
      by_status: [
        { status: 'new', count: 5, value: 0 },
        { status: 'contacted', count: 3, value: 0 },
        { status: 'qualified', count: 2, value: 0 },
        { status: 'converted', count: 4, value: 0 },
        { status: 'lost', count: 6, value: 0 },
      ],
      by_source: [],
      per_day: Array.from({ length: 30 }, (_, index) => ({ day: `d${index}`, count: index })),
    };
    expect(leadStats(stats).map(({ label, value }) => [label, value])).toEqual([
      ['Leads', 20],
      ['Open', 10],
      ['New in 7 days', 23 + 24 + 25 + 26 + 27 + 28 + 29],
      ['Converted', 4],
    ]);
  });
});
