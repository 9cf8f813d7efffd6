import { lt, or, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type ScheduleDefinition } from '../jobs/registry.js';
import { accountTokens } from './schema.js';
import { deleteExpiredSessions } from './sessions.js';

/**
 * Housekeeping: sessions past their idle or absolute expiry (they are refused anyway, this only
 * keeps the table small) and one-time tokens that are used or expired.
 */
export const accountsCleanupJob = defineJob({
  name: 'accounts.cleanup',
  queue: 'default',
  schema: z.object({}).strict(),
  retry: { limit: 2, backoff: true, delaySeconds: 30 },
  timeoutSeconds: 120,
  async handler(_data, { db, config, logger }) {
    const sessions = await deleteExpiredSessions(db, config);
    const tokens = await db
      .delete(accountTokens)
      .where(or(isNotNull(accountTokens.usedAt), lt(accountTokens.expiresAt, new Date())))
      .returning({ id: accountTokens.id });
    logger.info({ sessions, tokens: tokens.length }, 'accounts cleanup');
  },
});

export const accountsCleanupSchedule: ScheduleDefinition = {
  name: 'accounts-cleanup',
  cron: '17 * * * *',
  job: accountsCleanupJob.name,
};
