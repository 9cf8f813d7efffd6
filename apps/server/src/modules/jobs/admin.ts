import { scheduleUpdateSchema, type FieldError } from '@bastion/contract';
import { sql } from 'drizzle-orm';
import { fromDrizzle } from 'pg-boss';
import { defineAdminResource, type AdminContext } from '../../admin/define.js';
import { HttpError } from '../../http/errors.js';
import { processJobsClient, validatePayload } from './client.js';
import { findJob } from './registry.js';
import { syncSchedule } from './scheduler.js';
import { deleteSchedule, updateSchedule } from './schedules.js';
import { jobSchedules, type JobScheduleRow } from './schema.js';

// The database-stored schedules in the generic admin. Every change goes through the jobs
// module's own functions (cron and time zone checked with cron-parser, the payload with the
// job's schema) and is mirrored into pg-boss in the same transaction, exactly as the
// /api/jobs/schedules routes do: the running scheduler picks it up at its next cron pass.

/** The module's field errors with their paths changed (a payload's go under `payload`). */
function renamed(error: unknown, rename: (path: FieldError['path']) => FieldError['path']) {
  if (!(error instanceof HttpError) || !error.details) return error;
  const details = error.details.map((detail) => ({ ...detail, path: rename(detail.path) }));
  return new HttpError(error.statusCode, error.code, error.message, details, error.headers);
}

/** A payload error is reported under `payload.<key>`, not as if `<key>` were a field. */
function checkPayload(jobName: string, payload: unknown) {
  const definition = findJob(jobName);
  if (!definition) return;
  try {
    validatePayload(definition, payload);
  } catch (error) {
    throw renamed(error, (path) => ['payload', ...path]);
  }
}

/** Mirrors the row into pg-boss over the engine's transaction: both commit, or neither. */
async function sync(ctx: AdminContext, row: JobScheduleRow, deleted = false) {
  const client = processJobsClient();
  if (!client) throw new Error('jobs: no pg-boss client in this process');
  await syncSchedule(client.boss, row, { deleted, db: fromDrizzle(ctx.db, sql) });
}

export const jobSchedulesAdmin = defineAdminResource({
  name: 'job-schedules',
  label: 'Job schedule',
  table: jobSchedules,
  id: 'name',
  title: 'name',
  fields: {
    name: { type: 'text', readonly: true },
    jobName: { type: 'text', label: 'Job', readonly: true },
    cron: { type: 'text', help: 'Five fields: minute hour day-of-month month day-of-week.' },
    timezone: { type: 'text', label: 'Time zone' },
    enabled: { type: 'boolean' },
    payload: { type: 'json', help: 'Checked against the job’s schema.' },
    builtIn: { type: 'boolean', readonly: true, label: 'Declared in code' },
    lastRunAt: { type: 'datetime', readonly: true, label: 'Last run' },
    createdAt: { type: 'datetime', readonly: true },
    updatedAt: { type: 'datetime', readonly: true },
  },
  list: ['name', 'jobName', 'cron', 'timezone', 'enabled', 'lastRunAt'],
  search: ['name', 'jobName'],
  filters: ['enabled', 'builtIn', 'jobName'],
  sortable: ['name', 'lastRunAt', 'updatedAt'],
  defaultSort: 'name',
  // As the jobs API: staff manage schedules. New ones are declared in code (or made through
  // POST /api/jobs/schedules, which picks the job type); here they are changed and removed.
  access: { list: 'staff', view: 'staff', create: false, edit: 'staff', delete: 'staff' },
  write: { update: scheduleUpdateSchema },
  restorable: true,
  service: {
    async update(ctx, before, input) {
      if (input.payload !== undefined) checkPayload(before.jobName, input.payload);
      const row = await updateSchedule(ctx.db, before.name, input);
      await sync(ctx, row);
      return row;
    },
    async remove(ctx, before) {
      const row = await deleteSchedule(ctx.db, before.name);
      await sync(ctx, row, true);
    },
  },
  actions: [
    {
      name: 'run-now',
      label: 'Run now',
      description: 'Enqueues the schedule’s job once, now; the schedule itself is unchanged.',
      async run(ctx, row) {
        // Through the action's transaction: the job exists if and only if its audit event does.
        await ctx.enqueue(row.jobName, row.payload, { schedule: row.name, db: ctx.db });
      },
    },
  ],
});
