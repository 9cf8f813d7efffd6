import type { JobsOverview } from '@bastion/contract';
import type { HomeStat } from '../../web-module';
import { jobsApi } from './jobs-api';

// The jobs module's figures on the home page (loaded lazily by its card in index.ts).

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function jobStats(overview: JobsOverview): HomeStat[] {
  const total = (state: 'created' | 'retry' | 'active' | 'failed') =>
    sum(overview.queues.map((queue) => queue.counts[state]));
  return [
    { label: 'Running', value: total('active') },
    { label: 'Waiting', value: total('created') + total('retry') },
    { label: 'Failed', value: total('failed') },
    { label: 'Done in the last hour', value: sum(overview.throughput.map((p) => p.completed)) },
  ];
}

export const jobsStats = () => jobsApi.overview().then(jobStats);
