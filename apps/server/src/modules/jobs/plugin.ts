import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createBoss, ensureQueues } from './boss.js';
import { JobsClient, registerProcessJobsClient, unregisterProcessJobsClient } from './client.js';
import { seedSchedules } from './schedules.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Enqueue jobs (`app.jobs.enqueue(job, data, { db: tx })`), retry and cancel them. */
    jobs: JobsClient;
  }
}

/**
 * Gives every role that builds the app a way to enqueue, whether or not this process also runs
 * a worker. Its pg-boss instance neither works nor schedules nor supervises: the runtime
 * (runtime.ts) does those in the processes configured for them.
 */
export const jobsPlugin = fp(
  async (app: FastifyInstance) => {
    const url = app.pool.options.connectionString;
    if (!url) throw new Error('jobs: the database pool has no connection string');
    const boss = createBoss(url, app.log, { poolMax: 3 });
    await boss.start();
    await ensureQueues(boss);
    // Code-declared schedules show on the dashboard at once; the scheduler syncs them to pg-boss.
    await seedSchedules(app.db);
    const client = new JobsClient(boss);
    registerProcessJobsClient(client);
    app.decorate('jobs', client);
    app.addHook('onClose', async () => {
      unregisterProcessJobsClient(client);
      await boss.stop({ graceful: false });
    });
  },
  { name: 'jobs', dependencies: ['context'] },
);
