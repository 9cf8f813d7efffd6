import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Saved list views of the admin: search, filters, columns and sort, private or shared with a role. */
export const adminSavedViews = pgTable(
  'admin_saved_views',
  {
    id: uuid().primaryKey().defaultRandom(),
    resource: text().notNull(),
    name: text().notNull(),
    /** A user id of the accounts module (no foreign key: modules do not reach into each other). */
    ownerId: uuid(),
    /** null: private to the owner; `staff`: every staff member and admin; `admin`: admins. */
    sharedWithRole: text(),
    state: jsonb().$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('admin_saved_views_owner_idx').on(table.ownerId, table.resource),
    index('admin_saved_views_shared_idx').on(table.sharedWithRole, table.resource),
  ],
);

/** Bulk actions too big for one request: what they run on, and how far the job has got. */
export const adminActionRuns = pgTable(
  'admin_action_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    resource: text().notNull(),
    action: text().notNull(),
    actorId: uuid().notNull(),
    /** The actor's role when the run was queued (the job acts with it). */
    actorRole: text().notNull(),
    requestId: text().notNull(),
    /** `{ ids }` or `{ all: { q, filters, deleted } }`. */
    selection: jsonb().$type<Record<string, unknown>>().notNull(),
    /** queued | running | done | failed */
    state: text().notNull().default('queued'),
    total: integer().notNull(),
    done: integer().notNull().default(0),
    failed: integer().notNull().default(0),
    /** The first errors, `{ id, message }` each. */
    errors: jsonb().$type<{ id: string; message: string }[]>().notNull().default([]),
    /** The id of the last row handled: a retried job goes on from there. */
    lastId: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index('admin_action_runs_actor_idx').on(table.actorId, table.createdAt)],
);

export type AdminSavedViewRow = typeof adminSavedViews.$inferSelect;
export type AdminActionRunRow = typeof adminActionRuns.$inferSelect;
