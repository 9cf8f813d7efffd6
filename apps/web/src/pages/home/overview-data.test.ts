import type { JobsOverview, LeadStats } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { anonymousViewer } from '../../navigation';
import { jobStats, leadStats, overviewModules } from './overview-data';

describe('home overview', () => {
  it('shows each role the modules it may use, and nothing unbuilt', () => {
    const ids = (viewer: Parameters<typeof overviewModules>[0]) =>
      overviewModules(viewer).map((module) => module.id);
    expect(ids({ ...anonymousViewer, authenticated: true })).toEqual(['accounts']);
    expect(ids({ authenticated: true, staff: true, admin: false })).toEqual([
      'crm',
      'newsletter',
      'jobs',
      'accounts',
    ]);
    expect(ids({ authenticated: true, staff: true, admin: true })).toEqual([
      'crm',
      'newsletter',
      'jobs',
      'admin',
      'accounts',
    ]);
  });

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

  it('adds the job counts of every queue', () => {
    const counts = { created: 2, retry: 1, active: 3, completed: 9, cancelled: 0, failed: 1 };
    const overview: JobsOverview = {
      queues: [
        { name: 'default', counts },
        { name: 'mail', counts: { ...counts, failed: 4 } },
      ],
      throughput: [
        { minute: '2026-01-01T00:00:00.000Z', completed: 5, failed: 0 },
        { minute: '2026-01-01T00:01:00.000Z', completed: 7, failed: 1 },
      ],
      generatedAt: '2026-01-01T00:02:00.000Z',
    };
    expect(jobStats(overview).map(({ label, value }) => [label, value])).toEqual([
      ['Running', 6],
      ['Waiting', 6],
      ['Failed', 5],
      ['Done in the last hour', 12],
    ]);
  });
});
