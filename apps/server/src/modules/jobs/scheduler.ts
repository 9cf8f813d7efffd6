import type { FastifyBaseLogger } from 'fastify';
import type { Db, PgBoss } from 'pg-boss';
import type { Database } from '../../db/client.js';
import { findJob, queueNames, sendOptionsFor, type JobEnvelope } from './registry.js';
import { listSchedules, seedSchedules } from './schedules.js';
import type { JobScheduleRow } from './schema.js';

/**
 * Mirrors one row of `job_schedules` into pg-boss: an enabled schedule becomes a pg-boss schedule
 * on the job's queue, keyed by the schedule's name; a disabled or deleted one is removed. pg-boss's
 * schedule table is in the same database, so the change reaches the active cron pass (in whichever
 * process holds it) at its next tick: no restart.
 */
export async function syncSchedule(
  boss: PgBoss,
  row: JobScheduleRow,
  options: { deleted?: boolean; db?: Db } = {},
): Promise<void> {
  const connection = options.db ? { db: options.db } : {};
  const definition = findJob(row.jobName);
  const queue = definition?.queue;
  if (!definition || !queue || options.deleted || !row.enabled) {
    for (const name of queueNames()) await boss.unschedule(name, row.name, connection);
    return;
  }
  const envelope: JobEnvelope = { job: row.jobName, payload: row.payload, schedule: row.name };
  await boss.schedule(queue, row.cron, envelope, {
    ...sendOptionsFor(definition),
    key: row.name,
    tz: row.timezone,
    ...connection,
  });
  // A job type may have moved queues since the schedule was last synced.
  for (const name of queueNames())
    if (name !== queue) await boss.unschedule(name, row.name, connection);
}

/** Full reconciliation: every row synced, pg-boss schedules without a row removed. */
export async function syncAllSchedules(boss: PgBoss, db: Database): Promise<void> {
  const rows = await listSchedules(db);
  const names = new Set(rows.map((row) => row.name));
  for (const row of rows) await syncSchedule(boss, row);
  for (const existing of await boss.getSchedules()) {
    if (!names.has(existing.key)) await boss.unschedule(existing.name, existing.key);
  }
}

export interface SchedulerHandle {
  stop(): Promise<void>;
}

/**
 * The beat process. Seeds the code-declared schedules, reconciles them into pg-boss, and runs
 * pg-boss's cron pass (`schedule: true` on `boss`). Several schedulers may run: pg-boss lets only
 * one of them claim each cron pass (a timestamp claim in its `version` row) and files each
 * occurrence under a singleton key, so every occurrence is enqueued exactly once. The periodic
 * reconciliation repairs anything a failed API sync left behind.
 */
export async function startScheduler(options: {
  boss: PgBoss;
  db: Database;
  logger: FastifyBaseLogger;
  reconcileIntervalMs?: number;
}): Promise<SchedulerHandle> {
  const { boss, db, logger } = options;
  await seedSchedules(db);
  await syncAllSchedules(boss, db);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= syncAllSchedules(boss, db)
      .catch((err: unknown) => logger.error({ err, component: 'jobs' }, 'schedule sync failed'))
      .finally(() => (running = undefined));
  }, options.reconcileIntervalMs ?? 60_000);
  timer.unref();
  logger.info({ component: 'jobs' }, 'scheduler started');
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
