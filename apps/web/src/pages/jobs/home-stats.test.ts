import type { JobsOverview } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { jobStats } from './home-stats';

describe('jobs home figures', () => {
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
