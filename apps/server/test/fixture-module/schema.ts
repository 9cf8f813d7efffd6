import { bigint, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The fixture module's one table. */
export const fixtureNotes = pgTable('fixture_notes', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  text: text().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});
