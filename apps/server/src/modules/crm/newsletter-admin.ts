import { defineAdminResource } from '../../admin/define.js';
import { notFound } from '../../http/errors.js';
import { unsubscribeSubscriber } from './newsletter-service.js';
import { newsletterSubscribers } from './schema.js';

// Newsletter subscribers in the generic admin: read-only but for "mark unsubscribed", which is
// the subscriber's own unsubscribe link (double opt-in stays theirs to give).

const NEWSLETTER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;

export const newsletterSubscribersAdmin = defineAdminResource({
  name: 'newsletter-subscribers',
  label: 'Newsletter subscriber',
  table: newsletterSubscribers,
  title: 'email',
  fields: {
    email: { type: 'email' },
    fullName: { type: 'text', label: 'Name' },
    status: { type: 'select', choices: NEWSLETTER_STATUSES },
    source: { type: 'text' },
    confirmationSentAt: { type: 'datetime', label: 'Confirmation sent' },
    // A date filter ("confirmed between …", or `null`: never confirmed).
    confirmedAt: { type: 'datetime', label: 'Confirmed' },
    unsubscribedAt: { type: 'datetime', label: 'Unsubscribed' },
    createdAt: { type: 'datetime', label: 'Subscribed' },
    updatedAt: { type: 'datetime', label: 'Updated' },
  },
  list: ['email', 'fullName', 'status', 'source', 'confirmedAt', 'createdAt'],
  search: ['email', 'fullName'],
  filters: ['status', 'confirmedAt', 'source', 'createdAt'],
  sortable: ['createdAt', 'email', 'confirmedAt'],
  defaultSort: '-createdAt',
  actions: [
    {
      name: 'mark-unsubscribed',
      label: 'Mark unsubscribed',
      description: 'Stops the newsletter for them, as their unsubscribe link would.',
      access: 'staff',
      appliesTo: (row) => row.status !== 'unsubscribed',
      async run(ctx, row) {
        if (row.status === 'unsubscribed') return;
        const after = await unsubscribeSubscriber(ctx.db, row.id);
        if (!after) throw notFound('Subscriber');
        return { status: after.status, unsubscribedAt: after.unsubscribedAt };
      },
    },
  ],
});
