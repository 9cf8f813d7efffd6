import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, testConfig, type TestApp } from '../../../test/app.js';
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
      checks: { database: 'ok', shutdown: 'ok' },
    });
  });
});

describe('health when PostgreSQL goes down', () => {
  // A PostgreSQL of its own, so that stopping it affects nothing else in the run.
  const dataDir = mkdtempSync(join(tmpdir(), 'bastion-health-pg-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers 503 degraded while the database is stopped, and recovers after a restart', async () => {
    const port = await freePort();
    let server = await startEmbeddedPostgres({ dataDir, port });
    const url = await ensureDatabase(server.url, 'bastion');
    await runMigrations(url);
    const database = createDatabase(url);
    const app = await buildApp({ config: { ...testConfig(), databaseUrl: url }, database });
    try {
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);

      await server.stop();
      const down = await app.inject({ url: '/api/health' });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ status: 'degraded', database: 'unhealthy' });
      const notReady = await app.inject({ url: '/api/ready' });
      expect(notReady.statusCode).toBe(503);
      expect(notReady.json()).toMatchObject({
        status: 'not_ready',
        checks: { database: 'failing' },
      });

      server = await startEmbeddedPostgres({ dataDir, port });
      expect((await app.inject({ url: '/api/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.close();
      await server.stop();
    }
  });
});
