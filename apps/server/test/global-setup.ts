import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase } from '../src/db/admin.js';
import { startEmbeddedPostgres } from '../src/db/embedded.js';
import { runMigrations } from '../src/db/migrate.js';
import './provided-context.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Once per `npm test`: a database server (the embedded PostgreSQL in a temporary directory, or
 * DATABASE_URL's server), and a freshly migrated template database. Each test app gets its own
 * copy of the template (test/app.ts), so test files run in parallel without sharing rows.
 */
export default async function setup(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let dataDir: string | undefined;
  if (!serverUrl) {
    dataDir = mkdtempSync(join(tmpdir(), 'bastion-test-pg-'));
    // A cluster thrown away after the run: durability buys nothing and costs every commit and
    // every CREATE DATABASE a flush on the test machine's shared disk.
    const embedded = await startEmbeddedPostgres({
      dataDir,
      port: await freePort(),
      settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
    });
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const template = `bastion_test_${Date.now().toString(36)}_${process.pid}`;
  await runMigrations(await ensureDatabase(serverUrl, template));
  project.provide('databaseServerUrl', serverUrl);
  project.provide('templateDatabase', template);

  return async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${template}%`],
    );
    for (const { datname } of rows) await client.query(`DROP DATABASE "${datname}" WITH (FORCE)`);
    await client.end();
    await stopEmbedded?.();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
