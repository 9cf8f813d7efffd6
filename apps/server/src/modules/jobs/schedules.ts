import type { ScheduleCreate, ScheduleUpdate } from '@bastion/contract';
import { CronExpressionParser } from 'cron-parser';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

/** The database or a transaction on it: the service functions run inside either. */
export type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;
import { conflict, fieldError, notFound } from '../../http/errors.js';
import { validatePayload } from './client.js';
import { defaultSchedules, findJob } from './registry.js';
import { jobSchedules, type JobScheduleRow } from './schema.js';

export function validTimezone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The next `count` run times of a 5-field cron expression (pg-boss schedules are minute-granular,
 * so a seconds field is refused rather than silently ignored). Throws a field error for the API.
 */
export function nextRuns(cron: string, timezone: string, count = 5, from = new Date()): Date[] {
  if (!validTimezone(timezone)) throw fieldError('timezone', `Unknown time zone "${timezone}".`);
  if (cron.trim().split(/\s+/).length !== 5) {
    throw fieldError('cron', 'Use five fields: minute hour day-of-month month day-of-week.');
  }
  try {
    const expression = CronExpressionParser.parse(cron, { tz: timezone, currentDate: from });
    return expression.take(count).map((date) => date.toDate());
  } catch (error) {
    throw fieldError('cron', `Invalid cron expression: ${(error as Error).message}`);
  }
}

function requireJobType(name: string) {
  const definition = findJob(name);
  if (!definition) throw fieldError('job', `Unknown job "${name}".`);
  return definition;
}

export async function listSchedules(db: Executor): Promise<JobScheduleRow[]> {
  return db.select().from(jobSchedules).orderBy(jobSchedules.name);
}

export async function getSchedule(db: Executor, name: string): Promise<JobScheduleRow> {
  const [row] = await db.select().from(jobSchedules).where(eq(jobSchedules.name, name));
  if (!row) throw notFound('Schedule');
  return row;
}

export async function createSchedule(db: Executor, input: Required<ScheduleCreate>) {
  const definition = requireJobType(input.job);
  nextRuns(input.cron, input.timezone);
  const payload = validatePayload(definition, input.payload) as Record<string, unknown>;
  const [row] = await db
    .insert(jobSchedules)
    .values({
      name: input.name,
      cron: input.cron,
      timezone: input.timezone,
      jobName: input.job,
      payload,
      enabled: input.enabled,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw conflict(`A schedule named "${input.name}" already exists.`);
  return row;
}

export async function updateSchedule(db: Executor, name: string, changes: ScheduleUpdate) {
  const current = await getSchedule(db, name);
  const cron = changes.cron ?? current.cron;
  const timezone = changes.timezone ?? current.timezone;
  nextRuns(cron, timezone);
  let payload = current.payload;
  if (changes.payload !== undefined) {
    const definition = requireJobType(current.jobName);
    payload = validatePayload(definition, changes.payload) as Record<string, unknown>;
  }
  const [row] = await db
    .update(jobSchedules)
    .set({
      cron,
      timezone,
      payload,
      enabled: changes.enabled ?? current.enabled,
      updatedAt: new Date(),
    })
    .where(eq(jobSchedules.name, name))
    .returning();
  return row!;
}

export async function deleteSchedule(db: Executor, name: string): Promise<JobScheduleRow> {
  const current = await getSchedule(db, name);
  if (current.builtIn) {
    throw conflict('Schedules declared in code cannot be deleted; disable them instead.');
  }
  await db.delete(jobSchedules).where(eq(jobSchedules.name, name));
  return current;
}

/** Inserts the schedules declared in code that are not in the table yet; edits are kept. */
export async function seedSchedules(db: Executor): Promise<void> {
  const defaults = defaultSchedules();
  if (defaults.length === 0) return;
  await db
    .insert(jobSchedules)
    .values(
      defaults.map((schedule) => ({
        name: schedule.name,
        cron: schedule.cron,
        timezone: schedule.timezone ?? 'UTC',
        jobName: schedule.job,
        payload: schedule.payload ?? {},
        enabled: schedule.enabled ?? true,
        builtIn: true,
      })),
    )
    .onConflictDoNothing();
}

export async function recordScheduleRun(db: Executor, name: string): Promise<void> {
  await db
    .update(jobSchedules)
    .set({ lastRunAt: sql`now()` })
    .where(eq(jobSchedules.name, name));
}
