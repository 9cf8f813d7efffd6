import { z } from 'zod';
import { defineJob, defineSchedule } from '../jobs/registry.js';
import { runLeadImport } from './lead-import-run.js';
import { purgeExpiredSubscriptions } from './newsletter-service.js';

/** Applies a previewed CSV import in the background; the UI polls its progress. */
export const leadImportJob = defineJob({
  name: 'crm.lead-import',
  queue: 'default',
  schema: z.object({ importId: z.uuid() }).strict(),
  // Batches already committed are not redone: a retry skips rows whose email is now a lead.
  retry: { limit: 2, backoff: true, delaySeconds: 10 },
  timeoutSeconds: 30 * 60,
  async handler({ importId }, { db, attempt }) {
    await runLeadImport(db, importId, { finalAttempt: attempt >= 3 });
  },
});

/** Deletes unconfirmed newsletter subscriptions whose confirmation link has expired. */
export const newsletterPurgeJob = defineJob({
  name: 'crm.newsletter-purge',
  queue: 'default',
  schema: z.object({ ttlHours: z.number().int().min(1).default(72) }),
  retry: { limit: 1 },
  timeoutSeconds: 300,
  async handler({ ttlHours }, { db, logger }) {
    const purged = await purgeExpiredSubscriptions(db, ttlHours);
    if (purged > 0) logger.info({ purged }, 'expired newsletter subscriptions deleted');
  },
});

defineSchedule({
  name: 'crm-newsletter-purge',
  cron: '17 * * * *',
  job: newsletterPurgeJob.name,
  payload: { ttlHours: 72 },
});
