import { z } from 'zod';
import { defineJob, type ScheduleDefinition } from '../jobs/registry.js';
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

/**
 * Deletes unconfirmed newsletter subscriptions whose confirmation link has expired. The lifetime
 * is the one the links are signed with (NEWSLETTER_CONFIRM_TTL_HOURS), never a number of its own:
 * a shorter one would delete subscriptions whose links still work. Payloads stored by older
 * versions (`{ ttlHours: 72 }` in the seeded schedule) are accepted and the field ignored.
 */
export const newsletterPurgeJob = defineJob({
  name: 'crm.newsletter-purge',
  queue: 'default',
  schema: z.object({}),
  retry: { limit: 1 },
  timeoutSeconds: 300,
  async handler(_payload, { db, config, logger }) {
    const purged = await purgeExpiredSubscriptions(db, config.newsletterConfirmTtlHours);
    if (purged > 0) logger.info({ purged }, 'expired newsletter subscriptions deleted');
  },
});

export const newsletterPurgeSchedule: ScheduleDefinition = {
  name: 'crm-newsletter-purge',
  cron: '17 * * * *',
  job: newsletterPurgeJob.name,
};
