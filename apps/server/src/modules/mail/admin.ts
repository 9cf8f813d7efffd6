import { eq } from 'drizzle-orm';
import { defineAdminResource } from '../../admin/define.js';
import { HttpError } from '../../http/errors.js';
import { mailSendJob } from './jobs.js';
import { mailOutbox } from './schema.js';

// The outbox in the generic admin, read-only but for "retry". Admins only, as the old viewer:
// every mail names a person and many carry a sign-in capability (verification, password reset,
// unlock and unsubscribe links). The text body stays readable because the outbox is the mail
// viewer in development (no SMTP); the HTML copy and the headers (List-Unsubscribe tokens) are
// not fields, so they never leave the server, and the body is not searchable or listed.

const STATUSES = ['captured', 'pending', 'sent', 'failed'] as const;

export const mailOutboxAdmin = defineAdminResource({
  name: 'mail-outbox',
  label: 'Mail',
  labelPlural: 'Mail outbox',
  table: mailOutbox,
  title: 'subject',
  fields: {
    to: { type: 'email' },
    subject: {},
    status: { type: 'select', choices: STATUSES },
    attempts: { label: 'Delivery attempts' },
    error: { type: 'textarea' },
    text: { label: 'Body', type: 'textarea', view: 'admin' },
    createdAt: {},
    sentAt: {},
  },
  list: ['createdAt', 'to', 'subject', 'status', 'attempts', 'sentAt'],
  search: ['to', 'subject'],
  filters: ['to', 'status', 'createdAt', 'sentAt'],
  sortable: ['createdAt', 'sentAt'],
  defaultSort: '-createdAt',
  access: { list: 'admin', view: 'admin' },
  actions: [
    {
      name: 'retry',
      label: 'Retry delivery',
      description: 'Queues a failed mail for delivery again.',
      access: 'admin',
      appliesTo: (row) => row.status === 'failed',
      async run(ctx, row) {
        if (row.status !== 'failed') {
          throw new HttpError(409, 'not_failed', 'Only failed mail is retried.');
        }
        if (!ctx.config.smtpUrl) {
          throw new HttpError(409, 'no_smtp', 'No SMTP server is configured (SMTP_URL).');
        }
        // The same job as a first delivery, queued in this transaction with the status change.
        await ctx.db
          .update(mailOutbox)
          .set({ status: 'pending', error: null })
          .where(eq(mailOutbox.id, row.id));
        await ctx.enqueue(mailSendJob, { id: row.id }, { db: ctx.db });
        return { status: 'pending', error: null };
      },
    },
  ],
});
