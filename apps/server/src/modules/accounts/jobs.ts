import { lt, or, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type ScheduleDefinition } from '../jobs/registry.js';
import {
  sendPasswordResetMail,
  sendSignupMail,
  sendUnlockMail,
  sendVerificationMail,
} from './queued-mails.js';
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

// The account mails that an anonymous request triggers (queued-mails.ts). The request enqueues
// one of these whether or not the account exists, so its answer and its timing are the same;
// an unknown address gives `userId: null` and a job that does nothing. On the `mail` queue, so
// long jobs on `default` never hold up a reset link.
const requester = {
  ip: z.string().max(100).nullable(),
  userAgent: z.string().max(500).nullable(),
};
const mailJob = { queue: 'mail', retry: { limit: 4, backoff: true, delaySeconds: 10 } } as const;

/**
 * Enqueue options for these jobs: each starts at a random moment within two seconds, so the load
 * its work puts on the server cannot be tied to the request that queued it (with the worker in
 * the same process, the next request's time would otherwise hint at what the job did).
 */
export const decorrelated = () => ({ startAfter: Math.random() * 2 });

export const signupMailJob = defineJob({
  name: 'accounts.signup-mail',
  ...mailJob,
  schema: z.object({ userId: z.uuid(), created: z.boolean(), ...requester }),
  timeoutSeconds: 60,
  async handler(data, { db, config, logger }) {
    await sendSignupMail({ db, config, log: logger }, data);
  },
});

export const verificationMailJob = defineJob({
  name: 'accounts.verification-mail',
  ...mailJob,
  schema: z.object({ userId: z.uuid().nullable() }),
  timeoutSeconds: 60,
  async handler(data, { db, config, logger }) {
    await sendVerificationMail({ db, config, log: logger }, data);
  },
});

export const passwordResetMailJob = defineJob({
  name: 'accounts.password-reset-mail',
  ...mailJob,
  schema: z.object({ userId: z.uuid().nullable(), ...requester }),
  timeoutSeconds: 60,
  async handler(data, { db, config, logger }) {
    await sendPasswordResetMail({ db, config, log: logger }, data);
  },
});

export const unlockMailJob = defineJob({
  name: 'accounts.unlock-mail',
  ...mailJob,
  schema: z.object({ userId: z.uuid().nullable() }),
  timeoutSeconds: 60,
  async handler(data, { db, config, logger }) {
    await sendUnlockMail({ db, config, log: logger }, data);
  },
});
