import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every mail Bastion sends, as written. In development (no SMTP_URL) this is the only place mail
 * goes: the admin's outbox viewer reads it, and tests follow the links in it.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid().primaryKey().defaultRandom(),
    to: text().notNull(),
    subject: text().notNull(),
    text: text().notNull(),
    html: text(),
    headers: jsonb().$type<Record<string, string>>().notNull().default({}),
    // captured (no SMTP) | sent | failed
    status: text().notNull().default('captured'),
    error: text(),
    /** SMTP deliveries tried (each retry of the `mail.send` job is one). */
    attempts: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('mail_outbox_created_at_idx').on(table.createdAt),
    index('mail_outbox_sent_at_idx').on(table.sentAt),
    // The admin's search (`%term%` on recipient and subject): one row per mail ever sent.
    index('mail_outbox_to_trgm_idx').using('gin', table.to.op('gin_trgm_ops')),
    index('mail_outbox_subject_trgm_idx').using('gin', table.subject.op('gin_trgm_ops')),
  ],
);

export type MailOutboxRow = typeof mailOutbox.$inferSelect;
