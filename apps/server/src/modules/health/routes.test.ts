import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../../../test/app.js';
import { createApiKey } from '../../../test/auth.js';
import { freePort } from '../../../test/global-setup.js';
import { buildApp } from '../../app.js';
import { ensureDatabase } from '../../db/admin.js';
import { createDatabase } from '../../db/client.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { runMigrations } from '../../db/migrate.js';

describe('health and readiness', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('reports ok with a healthy database, the version and the uptime', async () => {
    const response = await t.app.inject({ url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: 'healthy',
      version: t.config.version,
      uptime: expect.any(Number),
    });
  });

  it('answers probes without resolving whatever credentials a client sends', async () => {
    const response = await t.app.inject({
      url: '/api/health',
      headers: { authorization: 'Api-Key not-a-real-key', cookie: 'bastion_session=stale' },
    });
    expect(response.statusCode).toBe(200);
  });

  it('is ready once migrations have run', async () => {
    const response = await t.app.inject({ url: '/api/ready' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok', shutdown: 'ok' },
    });
  });

  it('is not ready while the newest committed migration is not applied, and alive all along', async () => {
    // What a new release sees against a database the previous one migrated.
    const newest = await t.database.pool.query<{ id: number }>(
      'DELETE FROM drizzle.__drizzle_migrations WHERE id = (SELECT max(id) FROM drizzle.__drizzle_migrations) RETURNING *',
    );
    try {
      const response = await t.app.inject({ url: '/api/ready' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({
        status: 'not_ready',
        checks: { database: 'ok', migrations: 'failing', shutdown: 'ok' },
      });
      expect((await t.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    } finally {
      const row = newest.rows[0] as unknown as { id: number; hash: string; created_at: string };
      await t.database.pool.query(
        'INSERT INTO drizzle.__drizzle_migrations (id, hash, created_at) VALUES ($1, $2, $3)',
        [row.id, row.hash, row.created_at],
      );
    }
  });
});

describe('when PostgreSQL goes down', () => {
  // A PostgreSQL of its own, so that stopping it affects nothing else in the run.
  const dataDir = mkdtempSync(join(tmpdir(), 'bastion-health-pg-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stays alive, turns not ready, answers API calls 503 with Retry-After, and recovers by itself', async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    const url = await ensureDatabase(server.url, 'bastion');
    await runMigrations(url);
    const database = createDatabase(url);
    const app = await buildApp({ config: { ...testConfig(), databaseUrl: url }, database });
    const authorization = await createApiKey({ app }, ['leads:read']);
    const listLeads = () => app.inject({ url: '/api/v1/leads', headers: { authorization } });
    try {
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
      expect((await listLeads()).statusCode).toBe(200);

      await server.stop();
      // Liveness: the process is fine; it only reports what it sees.
      const alive = await app.inject({ url: '/api/health' });
      expect(alive.statusCode).toBe(200);
      expect(alive.json()).toMatchObject({ status: 'degraded', database: 'unhealthy' });
      const notReady = await app.inject({ url: '/api/ready' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({
        status: 'not_ready',
        checks: { database: 'failing' },
      });
      // The API: an outage, not a bug — 503 in the one error shape, with Retry-After.
      for (let attempt = 0; attempt < 3; attempt++) {
        const down = await listLeads();
        expect(down.statusCode).toBe(503);
        expect(down.headers['retry-after']).toBe('5');
        expect(down.json()).toEqual({
          error: {
            code: 'service_unavailable',
            message: expect.stringContaining('temporarily unavailable'),
            requestId: down.headers['x-request-id'],
          },
        });
      }

      server = await startEmbeddedPostgres({ dataDir, port });
      expect((await app.inject({ url: '/api/health' })).json()).toMatchObject({
        status: 'ok',
        database: 'healthy',
      });
      expect((await app.inject({ url: '/api/ready' })).statusCode).toBe(200);
      expect((await listLeads()).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
      await server.stop();
    }
  });
});
