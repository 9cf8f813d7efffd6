import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Redis } from 'ioredis';
import { leadImportJob } from './jobs.js';
import { leadExtraRoutes } from './lead-extra-routes.js';
import { runLeadImport } from './lead-import-run.js';
import { leadsRoutes } from './leads-routes.js';
import { newsletterRoutes } from './newsletter-routes.js';
import { memoryThrottle, redisThrottle } from './throttle.js';

/** The CRM: leads (bench contract), their timeline and dashboard, CSV import/export, newsletter. */
export const crmRoutes: FastifyPluginAsyncZod = async (app) => {
  const { redisUrl, leadsCreateLimit } = app.config;
  // With Redis, every replica shares one budget per IP and per key.
  const throttle = redisUrl
    ? redisThrottle(
        new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 }),
        `${app.config.redisKeyPrefix}crm:throttle:`,
      )
    : memoryThrottle();
  app.addHook('onClose', () => throttle.close());

  const budgets = { throttle, ...leadsCreateLimit };
  await app.register(leadsRoutes(budgets));
  await app.register(
    leadExtraRoutes({
      limits: { ...budgets, ...app.config.leadsImportLimit },
      async runImport(importId) {
        // A queued job survives restarts and runs on a worker; without the jobs module
        // (e.g. a bare test app) the import runs in this process, after the response.
        if (app.hasDecorator('jobs')) {
          await app.jobs.enqueue(leadImportJob, { importId });
        } else {
          setImmediate(() => {
            runLeadImport(app.db, importId).catch((err: unknown) =>
              app.log.error({ err, importId }, 'lead import failed'),
            );
          });
        }
      },
    }),
  );
  await app.register(newsletterRoutes(budgets));
};
