import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Who did what to what, from where. Append-only: nothing updates or deletes these rows. */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** The acting user; null for anonymous actors (failed logins) and API keys. */
    actorId: uuid(),
    /** `user:<id>`, `api_key:<id>`, `anonymous`, `cli`, `system`. */
    actor: text().notNull(),
    action: text().notNull(),
    /** What was acted on, e.g. `user:<id>`, `api_token:<id>`. */
    target: text(),
    ip: text(),
    userAgent: text(),
    data: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('audit_events_created_at_idx').on(table.createdAt),
    index('audit_events_action_created_at_idx').on(table.action, table.createdAt),
    index('audit_events_actor_id_idx').on(table.actorId),
    // An object's history in the admin: its events by target, newest first.
    index('audit_events_target_created_at_idx')
      .on(table.target, table.createdAt, table.id)
      .where(sql`${table.target} is not null`),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
