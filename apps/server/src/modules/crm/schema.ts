import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';

/**
 * Leads. The first twelve columns are named and typed exactly as the shared benchmark's
 * schema.sql (it seeds rows by SQL with only those); everything after them is nullable or
 * defaulted for the same reason.
 */
export const leads = pgTable(
  'leads',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    fullName: varchar({ length: 255 }).notNull(),
    position: varchar({ length: 255 }).notNull().default(''),
    companyName: varchar({ length: 255 }),
    phoneNumber: varchar({ length: 32 }),
    email: varchar({ length: 254 }),
    source: varchar({ length: 50 }).notNull().default('website'),
    // new | contacted | qualified | converted | lost, checked by the contract schema.
    status: varchar({ length: 50 }).notNull().default('new'),
    category: varchar({ length: 50 }),
    notes: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    // A user id of the accounts module; text so the CRM does not depend on its id type.
    ownerId: text(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    value: numeric({ precision: 14, scale: 2, mode: 'number' }),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // Same name as the bench's schema.sql, so its `CREATE INDEX IF NOT EXISTS` finds it and
    // does not add a duplicate. Covers the hot "status filter, newest first" page + count.
    // Ascending on purpose: scanned backwards it yields `created_at DESC, id DESC` (the default
    // order, NULLS FIRST like every plain DESC), with no sort step.
    index('leads_status_created_at_idx')
      .on(table.status, table.createdAt, table.id)
      .where(sql`${table.deletedAt} is null`),
    index('leads_created_at_idx')
      .on(table.createdAt, table.id)
      .where(sql`${table.deletedAt} is null`),
    // No indexes on source or category: a handful of values each, so a filter matches a large
    // share of rows. The page walks the created_at index either way, and counting a quarter of
    // 20,000 rows took 2.6 ms by sequential scan against 7 ms by bitmap scan; such an index
    // would only make every insert dearer.
    // Partial: website leads arrive without an owner and then cost no entry here at all; the
    // owner filter (`owner_id = $1`) implies NOT NULL, so it still uses the index.
    index('leads_owner_idx')
      .on(table.ownerId)
      .where(sql`${table.ownerId} is not null`),
    index('leads_email_idx').on(sql`lower(${table.email})`),
    // The search (`%term%` on name, email and company, in the API and the admin) cannot use a
    // b-tree; trigram indexes keep it an index scan on a big table instead of reading every row.
    index('leads_full_name_trgm_idx')
      .using('gin', table.fullName.op('gin_trgm_ops'))
      .where(sql`${table.deletedAt} is null`),
    index('leads_email_trgm_idx')
      .using('gin', table.email.op('gin_trgm_ops'))
      .where(sql`${table.deletedAt} is null`),
    index('leads_company_name_trgm_idx')
      .using('gin', table.companyName.op('gin_trgm_ops'))
      .where(sql`${table.deletedAt} is null`),
  ],
);

/** A lead's timeline: creation, status changes, edits, notes, imports. */
export const leadActivities = pgTable(
  'lead_activities',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    kind: varchar({ length: 32 }).notNull(),
    fromStatus: varchar({ length: 50 }),
    toStatus: varchar({ length: 50 }),
    message: text(),
    actorId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('lead_activities_lead_idx').on(table.leadId, table.createdAt),
    // The admin's list of every entry, newest first, and its `%term%` search on the message.
    index('lead_activities_created_at_idx').on(table.createdAt, table.id),
    index('lead_activities_actor_idx').on(table.actorId),
    index('lead_activities_message_trgm_idx').using('gin', table.message.op('gin_trgm_ops')),
  ],
);

/**
 * One uploaded CSV: read and checked at upload (`parsing`, then the `preview`), then applied
 * (`running`, then `done` or `failed`). Its rows wait in lead_import_rows.
 */
export const leadImports = pgTable(
  'lead_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    status: varchar({ length: 16 }).notNull().default('preview'),
    filename: text().notNull(),
    totalRows: integer().notNull().default(0),
    validRows: integer().notNull().default(0),
    duplicateRows: integer().notNull().default(0),
    invalidRows: integer().notNull().default(0),
    processedRows: integer().notNull().default(0),
    createdRows: integer().notNull().default(0),
    errors: jsonb().notNull().default([]),
    duplicates: jsonb().notNull().default([]),
    preview: jsonb().notNull().default([]),
    /** The user who uploaded it (null for an API key: then apiKeyId). */
    createdBy: text(),
    apiKeyId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Bumped while it is read or applied: an import in progress whose heartbeat stopped
     * (its process died) no longer counts against the caller's concurrent imports. */
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('lead_imports_in_progress_idx')
      .on(table.createdBy, table.apiKeyId)
      .where(sql`${table.status} in ('parsing', 'running')`),
  ],
);

/**
 * The valid, non-duplicate rows of an import, written batch by batch while the file is read and
 * deleted batch by batch as they become leads (in the same transaction as the leads), so an
 * interrupted apply resumes where it stopped and neither step holds the whole file in memory.
 */
export const leadImportRows = pgTable(
  'lead_import_rows',
  {
    importId: uuid()
      .notNull()
      .references(() => leadImports.id, { onDelete: 'cascade' }),
    row: integer().notNull(),
    /** The row as the contract's lead-create input, already validated. */
    lead: jsonb().notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.row] })],
);

/** Newsletter subscribers with double opt-in. */
export const newsletterSubscribers = pgTable(
  'newsletter_subscribers',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    email: varchar({ length: 254 }).notNull(),
    fullName: varchar({ length: 255 }),
    source: varchar({ length: 50 }).notNull().default('website'),
    status: varchar({ length: 16 }).notNull().default('pending'),
    /** Bumped on every (re)subscription so older confirmation links stop working. */
    tokenVersion: integer().notNull().default(1),
    confirmationSentAt: timestamp({ withTimezone: true }),
    confirmedAt: timestamp({ withTimezone: true }),
    unsubscribedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('newsletter_subscribers_email_idx').on(table.email),
    index('newsletter_subscribers_status_idx').on(table.status, table.createdAt),
    // The admin's list, newest first, and its search (`%term%` on email and name).
    index('newsletter_subscribers_created_at_idx').on(table.createdAt, table.id),
    index('newsletter_subscribers_confirmed_at_idx').on(table.confirmedAt),
    index('newsletter_subscribers_email_trgm_idx').using('gin', table.email.op('gin_trgm_ops')),
    index('newsletter_subscribers_full_name_trgm_idx').using(
      'gin',
      table.fullName.op('gin_trgm_ops'),
    ),
  ],
);
