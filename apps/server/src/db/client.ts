import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
/**
 * Queries are written with the query builder against each module's own tables (imported from
 * its schema.ts), so the client needs no schema object: Drizzle's relational `db.query` API,
 * which would, is not used.
 */
export type Database = NodePgDatabase;

export interface DatabaseHandle {
  pool: pg.Pool;
  db: Database;
  close(): Promise<void>;
}

export function createDatabase(url: string, options: { poolMax?: number } = {}): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'bastion',
  });
  // An idle client losing its connection (database restart) must not crash the process;
  // the pool drops it and the next query reconnects.
  pool.on('error', () => undefined);
  const db = drizzle(pool, { casing: 'snake_case' });
  let closed = false;
  return {
    pool,
    db,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
