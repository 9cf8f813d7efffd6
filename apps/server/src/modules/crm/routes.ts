import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { connectLimitsRedis, limitOutage } from '../../http/limits-redis.js';
import { leadImportJob } from './jobs.js';
import { leadExtraRoutes } from './lead-extra-routes.js';
import { leadsRoutes } from './leads-routes.js';
import { newsletterRoutes } from './newsletter-routes.js';
import { memoryThrottle, redisThrottle } from './throttle.js';

/** The CRM: leads (bench contract), their timeline and dashboard, CSV import/export, newsletter. */
export const crmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { redisUrl, leadsCreateLimit } = app.config;
  // With Redis, every replica shares one budget per IP and per key (per process while it is down).
  const outage = limitOutage(app.log, 'crm throttle');
  const throttle = redisUrl
    ? redisThrottle(
        connectLimitsRedis(redisUrl, outage),
        `${app.config.redisKeyPrefix}crm:throttle:`,
        outage,
      )
    : memoryThrottle();
  app.addHook('onClose', () => throttle.close());

  const budgets = { throttle, ...leadsCreateLimit };
  await app.register(leadsRoutes(budgets));
  await app.register(
    leadExtraRoutes({
      limits: { ...budgets, ...app.config.leadsImportLimit },
      // A queued job survives restarts and runs on a worker.
      async runImport(importId) {
        await app.jobs.enqueue(leadImportJob, { importId });
      },
    }),
  );
  await app.register(newsletterRoutes(budgets));
};
