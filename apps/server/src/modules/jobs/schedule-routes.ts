import {
  jobEnqueuedSchema,
  scheduleCreateSchema,
  scheduleListSchema,
  scheduleParamsSchema,
  schedulePreviewRequestSchema,
  schedulePreviewSchema,
  scheduleSchema,
  scheduleUpdateSchema,
} from '@bastion/contract';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fromDrizzle } from 'pg-boss';
import { presentSchedule } from './presenters.js';
import { syncSchedule } from './scheduler.js';
import {
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  nextRuns,
  updateSchedule,
} from './schedules.js';

const staff = { access: 'staff' } as const;
const tags = ['jobs'];

/**
 * Schedules (Celery beat's DatabaseScheduler). Each change is written to job_schedules and
 * mirrored into pg-boss's schedule table in the same transaction, so the running scheduler
 * applies it at its next cron pass, without a restart.
 */
export const scheduleRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/jobs/schedules',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Every schedule with its next 5 runs',
        response: { 200: scheduleListSchema },
      },
    },
    async () => ({ items: (await listSchedules(app.db)).map(presentSchedule) }),
  );

  app.post(
    '/api/jobs/schedules/preview',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Validate a cron expression and show its next 5 run times',
        body: schedulePreviewRequestSchema,
        response: { 200: schedulePreviewSchema },
      },
    },
    async (request) => ({
      nextRuns: nextRuns(request.body.cron, request.body.timezone).map((date) =>
        date.toISOString(),
      ),
    }),
  );

  app.post(
    '/api/jobs/schedules',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Create a schedule',
        body: scheduleCreateSchema,
        response: { 201: scheduleSchema },
      },
    },
    async (request, reply) => {
      const row = await app.db.transaction(async (tx) => {
        const created = await createSchedule(tx, request.body);
        await syncSchedule(app.jobs.boss, created, { db: fromDrizzle(tx, sql) });
        return created;
      });
      return reply.code(201).send(presentSchedule(row));
    },
  );

  app.patch(
    '/api/jobs/schedules/:name',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Change a schedule (cron, time zone, payload, enabled)',
        params: scheduleParamsSchema,
        body: scheduleUpdateSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) => {
      const row = await app.db.transaction(async (tx) => {
        const updated = await updateSchedule(tx, request.params.name, request.body);
        await syncSchedule(app.jobs.boss, updated, { db: fromDrizzle(tx, sql) });
        return updated;
      });
      return presentSchedule(row);
    },
  );

  app.delete(
    '/api/jobs/schedules/:name',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Delete a schedule created through the API',
        params: scheduleParamsSchema,
        response: { 200: scheduleSchema },
      },
    },
    async (request) => {
      const row = await app.db.transaction(async (tx) => {
        const deleted = await deleteSchedule(tx, request.params.name);
        await syncSchedule(app.jobs.boss, deleted, { deleted: true, db: fromDrizzle(tx, sql) });
        return deleted;
      });
      return presentSchedule(row);
    },
  );

  app.post(
    '/api/jobs/schedules/:name/run',
    {
      config: staff,
      schema: {
        tags,
        summary: "Enqueue the schedule's job now",
        params: scheduleParamsSchema,
        response: { 202: jobEnqueuedSchema },
      },
    },
    async (request, reply) => {
      const row = await getSchedule(app.db, request.params.name);
      const id = await app.jobs.enqueue(row.jobName, row.payload, { schedule: row.name });
      return reply.code(202).send({ id });
    },
  );
};
