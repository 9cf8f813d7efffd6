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
    /**
     * The request that caused it (admin writes record it in `data`): a column so the admin can
     * filter on it with an index instead of a scan over every event's JSON.
     */
    requestId: text().generatedAlwaysAs(sql`data ->> 'requestId'`),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('audit_events_created_at_idx').on(table.createdAt),
    index('audit_events_action_created_at_idx').on(table.action, table.createdAt),
    index('audit_events_actor_id_idx').on(table.actorId),
    // The admin's filter on the actor kind (`api_key:<id>`, `cli`…), newest first.
    index('audit_events_actor_created_at_idx').on(table.actor, table.createdAt),
    index('audit_events_request_id_idx')
      .on(table.requestId)
      .where(sql`${table.requestId} is not null`),
    // An object's history in the admin: its events by target, newest first.
    index('audit_events_target_created_at_idx')
      .on(table.target, table.createdAt, table.id)
      .where(sql`${table.target} is not null`),
    // The admin's search (`%term%` on action and target) on the biggest table there is: trigram
    // indexes, or every search reads the whole log.
    index('audit_events_action_trgm_idx').using('gin', table.action.op('gin_trgm_ops')),
    index('audit_events_target_trgm_idx').using('gin', table.target.op('gin_trgm_ops')),
  ],
);

export type AuditEventRow = typeof auditEvents.$inferSelect;
