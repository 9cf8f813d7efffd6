import { drizzle } from 'drizzle-orm/node-postgres';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/app.js';
import { freePort } from '../../test/global-setup.js';
import { isConnectionError, safePostgresMessage } from './errors.js';

/** The error `run` rejects with (real errors from real connections, not hand-made ones). */
async function failure(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('which database errors are outages', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database?.drop());

  it('counts a refused connection, by address and by a name with several addresses', async () => {
    const port = await freePort();
    for (const host of ['127.0.0.1', 'localhost']) {
      const client = new pg.Client({ host, port, user: 'x', database: 'x' });
      expect(isConnectionError(await failure(() => client.connect())), host).toBe(true);
    }
  });

  it('counts a pool that cannot hand out a connection in time, through Drizzle’s wrapper', async () => {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: 1,
      connectionTimeoutMillis: 100,
    });
    const held = await pool.connect();
    try {
      const error = await failure(() => drizzle(pool).execute(sql`SELECT 1`));
      expect(error.message).toMatch(/^Failed query/);
      expect(isConnectionError(error)).toBe(true);
    } finally {
      held.release();
      await pool.end();
    }
  });

  it('counts a connection PostgreSQL terminates mid-query', async () => {
    const client = new pg.Client({ connectionString: database.url });
    client.on('error', () => undefined);
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const sleeping = failure(() => client.query('SELECT pg_sleep(10)'));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    const error = await sleeping;
    expect(isConnectionError(error)).toBe(true);
    expect(isConnectionError(await failure(() => client.query('SELECT 1')))).toBe(true);
    await client.end().catch(() => undefined);
  });

  it('does not count errors of the statement or the code', async () => {
    const db = drizzle(database.pool);
    const invalid = await failure(() => db.execute(sql`SELECT ${'not-a-uuid'}::uuid`));
    const canceled = await failure(() =>
      database.pool.query("SET statement_timeout = '10ms'; SELECT pg_sleep(1)"),
    );
    await database.pool.query('RESET statement_timeout');
    expect(isConnectionError(invalid)).toBe(false);
    expect(isConnectionError(canceled)).toBe(false);
    expect(isConnectionError(new Error('boom'))).toBe(false);
    expect(isConnectionError('ECONNREFUSED')).toBe(false);
    // And the value PostgreSQL quotes in the message stays out of the safe one.
    expect(invalid.cause).toBeInstanceOf(pg.DatabaseError);
    expect(String((invalid.cause as Error).message)).toContain('not-a-uuid');
    expect(safePostgresMessage(invalid.cause as pg.DatabaseError)).toBe(
      'invalid_text_representation (SQLSTATE 22P02)',
    );
  });
});
