import type { Lead } from '@bastion/contract';
import type { FastifyInstance } from 'fastify';
import { userEmails } from '../accounts/users.js';
import { sendCrmMail } from './mailer.js';

async function recipients(app: FastifyInstance, lead: Lead): Promise<string[]> {
  const to = new Set<string>();
  if (app.config.crmSalesInbox) to.add(app.config.crmSalesInbox);
  if (lead.owner_id) {
    const owner = (await userEmails(app.db, [lead.owner_id])).get(lead.owner_id);
    if (owner) to.add(owner);
  }
  return [...to];
}

/**
 * "New lead" mail to the lead's owner and the sales inbox (CRM_SALES_INBOX). Sent after the
 * response, never in its way: the lead and its timeline entry are already committed, and a mail
 * failure is logged, not turned into a failed form submission. Without an owner or an inbox
 * (the benchmark's case) nothing is looked up or sent.
 */
export function notifyLeadCreated(app: FastifyInstance, lead: Lead): void {
  if (!app.config.crmSalesInbox && !lead.owner_id) return;
  const link = `${app.config.publicUrl}/crm/leads/${lead.id}`;
  const text = [
    `New lead: ${lead.full_name}${lead.company_name ? ` (${lead.company_name})` : ''}`,
    `Email: ${lead.email ?? '-'}`,
    `Phone: ${lead.phone_number ?? '-'}`,
    `Source: ${lead.source}`,
    ...(lead.notes ? ['', lead.notes] : []),
    '',
    `Open it: ${link}`,
  ].join('\n');
  recipients(app, lead)
    .then((to) =>
      Promise.all(
        to.map((address) =>
          sendCrmMail(app, { to: address, subject: `New lead: ${lead.full_name}`, text }),
        ),
      ),
    )
    .catch((err: unknown) => app.log.error({ err, leadId: lead.id }, 'new-lead mail failed'));
}
