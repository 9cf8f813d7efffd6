import type { FastifyBaseLogger } from 'fastify';
import { eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { processJobsClient } from '../jobs/client.js';
import { mailOutbox } from './schema.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Lines under the signature (e.g. an unsubscribe link), after the organisation's name. */
  footer?: string[];
}

export interface MailContext {
  db: Database;
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'organizationName'>;
  log?: Pick<FastifyBaseLogger, 'warn' | 'info'>;
}

/** What writing a mail needs: the database or the caller's transaction (the row commits with it). */
export type MailWriteContext = Omit<MailContext, 'db'> & {
  db: Pick<Database, 'insert' | 'select' | 'update' | 'execute'>;
};

const transports = new Map<string, Transporter>();
function transportFor(url: string) {
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  return transport;
}

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Every mail ends with one signature block ("-- " then the organisation's name and the mail's
 * footer lines), so mail from every module is signed the same way.
 */
export function withSignature(mail: OutgoingMail, organizationName: string) {
  const lines = [organizationName, ...(mail.footer ?? [])];
  return {
    text: `${mail.text}\n\n-- \n${lines.join('\n')}`,
    html:
      mail.html === undefined
        ? undefined
        : `${mail.html}\n<p>-- <br>${lines.map(escapeHtml).join('<br>')}</p>`,
  };
}

/**
 * The one way Bastion sends mail. It always writes the message to `mail_outbox` (the record and,
 * without SMTP, the dev outbox viewer), then delivers it over SMTP when `SMTP_URL` is set. A
 * delivery failure is recorded on the row and logged, never thrown at the caller: a signup must
 * not fail because the mail server is down. With SMTP, delivery is the `mail.send` job on the
 * `mail` queue (mail/jobs.ts), enqueued in the caller's transaction and retried with backoff.
 */
export async function sendMail(context: MailWriteContext, mail: OutgoingMail): Promise<string> {
  const signed = withSignature(mail, context.config.organizationName ?? 'Bastion');
  const [row] = await context.db
    .insert(mailOutbox)
    .values({
      to: mail.to,
      subject: mail.subject,
      text: signed.text,
      html: signed.html ?? null,
      headers: mail.headers ?? {},
      status: context.config.smtpUrl ? 'pending' : 'captured',
    })
    .returning({ id: mailOutbox.id });
  const id = row!.id;
  if (!context.config.smtpUrl) return id;
  // Delivery runs on the `mail` queue when this process has a jobs client: the job is inserted
  // in the caller's transaction with the row, and a failed delivery is retried with backoff.
  const jobs = processJobsClient();
  if (jobs) {
    await jobs.enqueue('mail.send', { id }, { db: context.db });
    return id;
  }
  await deliverOutboxMail(context, id).catch(() => undefined);
  return id;
}

/**
 * Sends one outbox row over SMTP and records the outcome on it. Throws when delivery fails (after
 * recording the error), so the `mail.send` job is retried; a row already sent is left alone.
 */
export async function deliverOutboxMail(context: MailWriteContext, id: string): Promise<void> {
  const [mail] = await context.db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
  if (!mail || mail.status === 'sent' || !context.config.smtpUrl) return;
  const tried = mail.attempts + 1;
  try {
    await transportFor(context.config.smtpUrl).sendMail({
      from: context.config.mailFrom,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      ...(mail.html ? { html: mail.html } : {}),
      ...(Object.keys(mail.headers).length > 0 ? { headers: mail.headers } : {}),
    });
    await context.db
      .update(mailOutbox)
      .set({ status: 'sent', sentAt: new Date(), error: null, attempts: tried })
      .where(eq(mailOutbox.id, id));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    context.log?.warn({ mailId: id, err: message }, 'mail delivery failed');
    await context.db
      .update(mailOutbox)
      .set({ status: 'failed', error: message.slice(0, 1000), attempts: tried })
      .where(eq(mailOutbox.id, id));
    throw error;
  }
}
