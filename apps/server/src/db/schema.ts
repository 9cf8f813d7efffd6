// Every module's tables, gathered for Drizzle's typed queries and for drizzle-kit, which diffs this
// file against the last migration snapshot (`npm run db:generate`). Add one line per module.
export * from '../modules/health/schema.js';
export * from '../modules/jobs/schema.js';
export * from '../modules/crm/schema.js';
export * from '../modules/accounts/schema.js';
export * from '../modules/audit/schema.js';
export * from '../modules/mail/schema.js';
