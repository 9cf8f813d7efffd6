import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  smallint,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

/**
 * A web site a user registered for scanning. Ownership is proven (verification_*) before it may
 * be scanned on a schedule or more often than the manual quota allows.
 */
export const scanTargets = pgTable(
  'scan_targets',
  {
    id: uuid().primaryKey().defaultRandom(),
    url: text().notNull(),
    name: text().notNull(),
    // A user id of the accounts module; text so scans do not depend on its id type.
    ownerId: text().notNull(),
    tags: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    // off | daily | weekly, checked by the contract schema.
    schedule: text().notNull().default('off'),
    /** HH:MM, local time in `timezone`. */
    scheduleTime: text().notNull().default('03:00'),
    /** 0 = Sunday … 6 = Saturday (weekly schedules). */
    scheduleWeekday: smallint().notNull().default(1),
    timezone: text().notNull().default('UTC'),
    /** When the scheduler is to scan it next (null: no schedule, or not verified). */
    nextScanAt: timestamp({ withTimezone: true }),
    notify: boolean().notNull().default(true),
    verificationToken: text().notNull(),
    // file | dns | meta | staff
    verificationMethod: text(),
    verifiedAt: timestamp({ withTimezone: true }),
    /** Derived, so "verified or not" is a plain boolean filter (the admin's) on the column. */
    verified: boolean()
      .notNull()
      .generatedAlwaysAs(sql`verified_at is not null`),
    /** Last (re-)check of the ownership proof, successful or not. */
    verificationCheckedAt: timestamp({ withTimezone: true }),
    /**
     * The latest finished scan's grade, score and time, kept here (`recordLatestScan`) so lists
     * (the admin's, sorted and filtered by grade) need no lateral join per row.
     */
    lastGrade: text(),
    lastScore: integer(),
    lastScannedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index('scan_targets_owner_idx')
      .on(table.ownerId, table.createdAt)
      .where(sql`${table.deletedAt} is null`),
    // The scheduler's "what is due" query walks only scheduled, verified targets.
    index('scan_targets_due_idx')
      .on(table.nextScanAt)
      .where(sql`${table.deletedAt} is null and ${table.nextScanAt} is not null`),
  ],
);

/** One scan of a target: queued, running, then finished / failed / aborted. */
export const scans = pgTable(
  'scans',
  {
    id: uuid().primaryKey().defaultRandom(),
    targetId: uuid()
      .notNull()
      .references(() => scanTargets.id, { onDelete: 'cascade' }),
    /** The URL as scanned (the target's may change later). */
    url: text().notNull(),
    // pending | running | finished | failed | aborted
    state: text().notNull().default('pending'),
    // manual | schedule | api
    trigger: text().notNull(),
    /** Who asked (null for the scheduler), for the per-user quota. */
    requestedBy: text(),
    progress: smallint().notNull().default(0),
    stage: text(),
    grade: text(),
    score: integer(),
    extraGrade: text(),
    extraScore: integer(),
    /** Failed tests, for badges without reading the report. */
    failed: integer().notNull().default(0),
    report: jsonb(),
    raw: jsonb(),
    error: text(),
    /** The pg-boss job running it. */
    jobId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // Latest scan per target, and a target's history, newest first (walked backwards).
    index('scans_target_created_idx').on(table.targetId, table.createdAt),
    // Latest finished scan per target (cache, alerts, list badges, grade history).
    index('scans_target_finished_idx')
      .on(table.targetId, table.finishedAt)
      .where(sql`${table.state} = 'finished'`),
    // The admin's list of every scan, newest first, and its `%term%` search on the URL.
    index('scans_created_at_idx').on(table.createdAt, table.id),
    index('scans_url_trgm_idx').using('gin', table.url.op('gin_trgm_ops')),
    // Today's manual scans of one user (quota).
    index('scans_requested_by_idx')
      .on(table.requestedBy, table.createdAt)
      .where(sql`${table.requestedBy} is not null`),
  ],
);

/**
 * What the owner was last told about a target, so a change is mailed once, not on every scan
 * that still shows it: the grade last reported, the tests known to fail, and the certificate
 * whose expiry was announced.
 */
export const scanAlertState = pgTable('scan_alert_state', {
  targetId: uuid()
    .primaryKey()
    .references(() => scanTargets.id, { onDelete: 'cascade' }),
  grade: text(),
  failingTests: text()
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** validTo of the leaf certificate whose near expiry was mailed. */
  certificateExpiryNotified: text(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type ScanTargetRow = typeof scanTargets.$inferSelect;
export type ScanRow = typeof scans.$inferSelect;
