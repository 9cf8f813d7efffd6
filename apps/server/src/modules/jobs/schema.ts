import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Periodic schedules (Celery beat's DatabaseScheduler): the source of truth, edited through the
 * API and mirrored into pg-boss's own schedule table, whose cron pass enqueues the jobs.
 */
export const jobSchedules = pgTable('job_schedules', {
  name: text().primaryKey(),
  cron: text().notNull(),
  timezone: text().notNull().default('UTC'),
  jobName: text().notNull(),
  payload: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  enabled: boolean().notNull().default(true),
  /** Seeded from a module manifest's `schedules` in code. */
  builtIn: boolean().notNull().default(false),
  lastRunAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type JobScheduleRow = typeof jobSchedules.$inferSelect;
