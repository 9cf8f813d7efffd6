import { z } from 'zod';
import { defineJob } from '../jobs/registry.js';
import { deliverOutboxMail } from './service.js';

/**
 * Delivers one `mail_outbox` row over SMTP. `sendMail` writes the row and enqueues this job in
 * the caller's transaction, so a rolled-back signup sends nothing, and a mail server that is down
 * means retries with backoff (about 10 s, 20 s, 40 s … capped at 10 min) instead of a lost mail.
 */
export const mailSendJob = defineJob({
  name: 'mail.send',
  queue: 'mail',
  schema: z.object({ id: z.uuid() }),
  retry: { limit: 8, backoff: true, delaySeconds: 10, maxDelaySeconds: 600 },
  timeoutSeconds: 60,
  async handler({ id }, { db, config, logger }) {
    await deliverOutboxMail({ db, config, log: logger }, id);
  },
});
