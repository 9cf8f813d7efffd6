import {
  jobDefinitionListSchema,
  jobEnqueuedSchema,
  jobListQuerySchema,
  jobListSchema,
  jobParamsSchema,
  jobsOverviewSchema,
  jobSummarySchema,
} from '@bastion/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../http/errors.js';
import { getJob, jobsOverview, listJobs } from './dashboard.js';
import { presentJob } from './presenters.js';
import { allJobs } from './registry.js';
import { scheduleRoutes } from './schedule-routes.js';

const staff = { access: 'staff' } as const;
const tags = ['jobs'];

/** The jobs dashboard API (the Flower equivalent): staff only. */
export const jobsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/jobs/overview',
    {
      config: staff,
      schema: {
        tags,
        summary:
          'Per-queue counts by state and completed/failed jobs per minute over the last hour',
        response: { 200: jobsOverviewSchema },
      },
    },
    async () => jobsOverview(app.db),
  );

  app.get(
    '/api/jobs',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Most recent jobs, newest first, filtered by queue, state or job type',
        querystring: jobListQuerySchema,
        response: { 200: jobListSchema },
      },
    },
    async (request) => ({ items: (await listJobs(app.db, request.query)).map(presentJob) }),
  );

  app.get(
    '/api/jobs/definitions',
    {
      config: staff,
      schema: { tags, summary: 'Registered job types', response: { 200: jobDefinitionListSchema } },
    },
    async () => ({
      items: allJobs().map((job) => ({
        name: job.name,
        queue: job.queue,
        maxAttempts: job.retry.limit + 1,
        timeoutSeconds: job.timeoutSeconds,
      })),
    }),
  );

  app.get(
    '/api/jobs/:queue/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: 'One job with its payload, error and timing',
        params: jobParamsSchema,
        response: { 200: jobSummarySchema },
      },
    },
    async (request) => {
      const row = await getJob(app.db, request.params.queue, request.params.id);
      if (!row) throw notFound('Job');
      return presentJob(row);
    },
  );

  app.post(
    '/api/jobs/:queue/:id/retry',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Retry a failed or cancelled job, or redrive a dead-lettered one to its queue',
        params: jobParamsSchema,
        response: { 200: jobEnqueuedSchema },
      },
    },
    async (request) => ({
      id: await app.jobs.retry(request.params.queue, request.params.id),
    }),
  );

  app.post(
    '/api/jobs/:queue/:id/cancel',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Cancel a queued or running job',
        params: jobParamsSchema,
        response: { 200: jobEnqueuedSchema },
      },
    },
    async (request) => {
      await app.jobs.cancel(request.params.queue, request.params.id);
      return { id: request.params.id };
    },
  );

  await app.register(scheduleRoutes);
};
