import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Key/value facts about this installation (first start time, setup state). Small, but it gives
 * the readiness probe a real table to read, proving that migrations have run.
 */
export const systemSettings = pgTable('system_settings', {
  key: text().primaryKey(),
  value: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
