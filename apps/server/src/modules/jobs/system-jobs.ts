import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { systemSettings } from '../../db/settings.js';
import { defineJob, type ScheduleDefinition } from './registry.js';

/** Does nothing: the benchmark's job, and a way to check that workers are consuming a queue. */
export const noopJob = defineJob({
  name: 'jobs.noop',
  queue: 'default',
  schema: z.object({ sentAt: z.number().optional() }).strict(),
  retry: { limit: 0 },
  timeoutSeconds: 60,
  async handler() {},
});

/**
 * Records that the scheduler and a worker are alive (`system_settings.jobs.heartbeat`); the
 * schedule below is seeded into job_schedules, where it can be edited or disabled.
 */
export const heartbeatJob = defineJob({
  name: 'jobs.heartbeat',
  queue: 'default',
  schema: z.object({}).strict(),
  retry: { limit: 2, backoff: true, delaySeconds: 5 },
  timeoutSeconds: 30,
  async handler(_data, { db }) {
    const now = new Date().toISOString();
    await db
      .insert(systemSettings)
      .values({ key: 'jobs.heartbeat', value: now })
      .onConflictDoUpdate({
        target: systemSettings.key,
        set: { value: now, updatedAt: sql`now()` },
      });
  },
});

export const heartbeatSchedule: ScheduleDefinition = {
  name: 'jobs-heartbeat',
  cron: '*/5 * * * *',
  job: heartbeatJob.name,
};
