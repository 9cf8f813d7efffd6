import { and, count, desc, eq, ilike, lt, sql, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.js';
import { badRequest, notFound } from '../../http/errors.js';
import { isDisposableEmail } from './disposable.js';
import { sendCrmMail } from './mailer.js';
import { createNewsletterToken, verifyNewsletterToken } from './newsletter-tokens.js';
import { newsletterSubscribers } from './schema.js';
import { containsPattern } from '../../db/like.js';

type Subscriber = typeof newsletterSubscribers.$inferSelect;

export interface NewsletterSettings {
  secretKey: string;
  publicUrl: string;
  confirmTtlHours: number;
}

export function unsubscribeLinks(settings: NewsletterSettings, subscriber: Subscriber) {
  const token = createNewsletterToken(
    settings.secretKey,
    'unsubscribe',
    subscriber.id,
    subscriber.tokenVersion,
  );
  return {
    page: `${settings.publicUrl}/newsletter/unsubscribe?token=${token}`,
    // RFC 8058 one-click: the mail client POSTs `List-Unsubscribe=One-Click` to this URL.
    oneClick: `${settings.publicUrl}/api/v1/newsletter/unsubscribe?token=${token}`,
  };
}

/** Every newsletter mail carries an unsubscribe link and the List-Unsubscribe headers. */
export async function sendNewsletterMail(
  app: FastifyInstance,
  settings: NewsletterSettings,
  subscriber: Subscriber,
  mail: { subject: string; text: string },
): Promise<void> {
  const links = unsubscribeLinks(settings, subscriber);
  await sendCrmMail(app, {
    to: subscriber.email,
    subject: mail.subject,
    text: mail.text,
    footer: [`Unsubscribe: ${links.page}`],
    headers: {
      'List-Unsubscribe': `<${links.oneClick}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  });
}

async function sendConfirmation(
  app: FastifyInstance,
  settings: NewsletterSettings,
  subscriber: Subscriber,
): Promise<void> {
  const expires = new Date(Date.now() + settings.confirmTtlHours * 3_600_000);
  const token = createNewsletterToken(
    settings.secretKey,
    'confirm',
    subscriber.id,
    subscriber.tokenVersion,
    expires,
  );
  await sendNewsletterMail(app, settings, subscriber, {
    subject: 'Please confirm your subscription',
    text:
      `Hello${subscriber.fullName ? ` ${subscriber.fullName}` : ''},\n\n` +
      'please confirm that you want to receive our newsletter:\n' +
      `${settings.publicUrl}/newsletter/confirm?token=${token}\n\n` +
      `The link is valid for ${settings.confirmTtlHours} hours. ` +
      'If you did not ask for this, ignore this mail and nothing will be sent to you.',
  });
}

/**
 * Double opt-in: a new (or unsubscribed, or still unconfirmed) address becomes `pending` and
 * gets a confirmation mail; nothing else is ever sent to it until it confirms. Re-subscribing
 * bumps the token version, so only the newest confirmation link works.
 */
export async function subscribe(
  app: FastifyInstance,
  settings: NewsletterSettings,
  input: { email: string; full_name?: string | undefined; source?: string | undefined },
): Promise<'pending' | 'confirmed'> {
  if (isDisposableEmail(input.email)) {
    throw badRequest('Some fields are invalid.', [
      {
        path: ['email'],
        message: 'Disposable email addresses are not accepted.',
        code: 'disposable',
      },
    ]);
  }
  const db = app.db;
  const [subscriber] = await db
    .insert(newsletterSubscribers)
    .values({
      email: input.email,
      fullName: input.full_name || null,
      source: input.source || 'website',
      confirmationSentAt: sql`now()`,
    })
    .onConflictDoUpdate({
      target: newsletterSubscribers.email,
      set: {
        // A confirmed subscription stays as it is; anything else starts a new opt-in.
        status: sql`CASE WHEN ${newsletterSubscribers.status} = 'confirmed' THEN 'confirmed' ELSE 'pending' END`,
        tokenVersion: sql`CASE WHEN ${newsletterSubscribers.status} = 'confirmed' THEN ${newsletterSubscribers.tokenVersion} ELSE ${newsletterSubscribers.tokenVersion} + 1 END`,
        confirmationSentAt: sql`CASE WHEN ${newsletterSubscribers.status} = 'confirmed' THEN ${newsletterSubscribers.confirmationSentAt} ELSE now() END`,
        fullName: sql`coalesce(excluded.full_name, ${newsletterSubscribers.fullName})`,
        updatedAt: sql`now()`,
      },
    })
    .returning();
  if (!subscriber) throw new Error('upsert returned no row');
  if (subscriber.status === 'confirmed') return 'confirmed';
  await sendConfirmation(app, settings, subscriber);
  return 'pending';
}

function tokenError(reason: 'invalid' | 'expired') {
  return badRequest(
    reason === 'expired'
      ? 'This confirmation link has expired; please subscribe again.'
      : 'This link is not valid.',
    [{ path: ['token'], message: reason === 'expired' ? 'Expired.' : 'Invalid.', code: reason }],
  );
}

export async function confirmSubscription(
  db: Database,
  settings: NewsletterSettings,
  token: string,
): Promise<Subscriber> {
  const verified = verifyNewsletterToken(settings.secretKey, 'confirm', token);
  if ('error' in verified) throw tokenError(verified.error);
  const [subscriber] = await db
    .select()
    .from(newsletterSubscribers)
    .where(eq(newsletterSubscribers.id, verified.subscriberId));
  if (!subscriber) throw tokenError('expired'); // expired and purged
  if (subscriber.status === 'confirmed') return subscriber;
  if (subscriber.status !== 'pending' || subscriber.tokenVersion !== verified.version) {
    throw tokenError('invalid');
  }
  const [confirmed] = await db
    .update(newsletterSubscribers)
    .set({
      status: 'confirmed',
      confirmedAt: sql`now()`,
      unsubscribedAt: null,
      updatedAt: sql`now()`,
    })
    .where(eq(newsletterSubscribers.id, subscriber.id))
    .returning();
  return confirmed!;
}

export async function unsubscribe(
  db: Database,
  settings: NewsletterSettings,
  token: string,
): Promise<Subscriber> {
  const verified = verifyNewsletterToken(settings.secretKey, 'unsubscribe', token);
  if ('error' in verified) throw tokenError(verified.error);
  const subscriber = await unsubscribeSubscriber(db, verified.subscriberId);
  if (!subscriber) throw notFound('Subscription');
  return subscriber;
}

/**
 * Unsubscribes one subscriber (the link in a mail, or staff in the admin); the first
 * unsubscription time is kept. Undefined when there is no such subscriber.
 */
export async function unsubscribeSubscriber(
  db: Pick<Database, 'update'>,
  id: number,
): Promise<Subscriber | undefined> {
  const [subscriber] = await db
    .update(newsletterSubscribers)
    .set({
      status: 'unsubscribed',
      unsubscribedAt: sql`coalesce(${newsletterSubscribers.unsubscribedAt}, now())`,
      updatedAt: sql`now()`,
    })
    .where(eq(newsletterSubscribers.id, id))
    .returning();
  return subscriber;
}

/** Unconfirmed subscriptions older than the link lifetime are deleted (they never opted in). */
export async function purgeExpiredSubscriptions(db: Database, ttlHours: number): Promise<number> {
  const purged = await db
    .delete(newsletterSubscribers)
    .where(
      and(
        eq(newsletterSubscribers.status, 'pending'),
        lt(
          newsletterSubscribers.confirmationSentAt,
          sql`now() - make_interval(hours => ${ttlHours})`,
        ),
      ),
    )
    .returning({ id: newsletterSubscribers.id });
  return purged.length;
}

export async function listSubscribers(
  db: Database,
  filters: { status?: string | undefined; search?: string | undefined },
  page: number,
  pageSize: number,
) {
  const conditions: SQL[] = [];
  if (filters.status) conditions.push(eq(newsletterSubscribers.status, filters.status));
  const search = filters.search?.trim();
  if (search) {
    conditions.push(ilike(newsletterSubscribers.email, containsPattern(search)));
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(newsletterSubscribers)
      .where(where)
      .orderBy(desc(newsletterSubscribers.createdAt), desc(newsletterSubscribers.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ value: count() }).from(newsletterSubscribers).where(where),
  ]);
  return { count: total?.value ?? 0, rows };
}
