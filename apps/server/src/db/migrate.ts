import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { migrationsDir } from '../paths.js';

// Any constant works; it only has to be the same for every Bastion process sharing a database.
const MIGRATION_LOCK_ID = 7_236_001;

/**
 * Applies the committed SQL migrations. A session-level advisory lock serialises concurrent
 * starts (several API replicas, a worker and the scheduler booting together): the first one
 * migrates, the others wait and then find nothing left to do.
 */
export async function runMigrations(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'bastion-migrate' });
  await client.connect();
  try {
    // Keep the NOTICEs of "CREATE ... IF NOT EXISTS" out of the logs.
    await client.query(`SET client_min_messages = warning`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    try {
      await migrate(drizzle(client), { migrationsFolder: migrationsDir });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]);
    }
  } finally {
    await client.end();
  }
}
