import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import '../../../test/provided-context.js';
import { dropDatabase, ensureDatabase } from '../../db/admin.js';
import { runMigrations } from '../../db/migrate.js';
import { serverRoot } from '../../paths.js';
import { listBackups, pruneBackups } from './backup.js';
import { findPgTools, serverMajor } from './pg-tools.js';
import { startScratchCluster, type ScratchCluster } from './test-cluster.js';

/** `npm run cli -- …` from source, as an operator would run it. */
function cli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'src/cli/main.ts', ...args],
      {
        cwd: serverRoot,
        env: { ...process.env, NODE_ENV: 'test', LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** Rows per table, every schema Bastion writes (its tables, pg-boss's, drizzle's journal). */
async function rowCounts(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(`
      SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
      WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`);
    const counts: Record<string, number> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
      counts[name] = rows[0]!.n;
    }
    return counts;
  } finally {
    await client.end();
  }
}

describe('db:backup and db:restore', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-backups-'));
  let serverUrl = inject('databaseServerUrl');
  let scratch: ScratchCluster | undefined;
  let pgBinDir = '';
  const database = `bastion_backup_${process.pid}`;
  let url = '';

  beforeAll(async () => {
    // pg_dump must be at least as new as the server. When the test server is newer than every
    // pg_dump here, back up a scratch cluster of the newest installed version instead.
    const tools = await findPgTools(await serverMajor(serverUrl)).catch(async () => {
      const newest = await findPgTools(0);
      scratch = await startScratchCluster(newest.pgDump);
      if (!scratch) throw new Error(`no PostgreSQL server of version ${newest.major} to test with`);
      serverUrl = scratch.url;
      return newest;
    });
    pgBinDir = dirname(tools.pgDump);
    url = await ensureDatabase(serverUrl, database);
    await runMigrations(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      `INSERT INTO system_settings (key, value)
       SELECT 'backup-probe-' || i, repeat('x', i) FROM generate_series(1, 250) AS i`,
    );
    await client.end();
  }, 60_000);

  afterAll(async () => {
    await dropDatabase(serverUrl, database).catch(() => undefined);
    scratch?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up, survives dropping the database, and restores every row', async () => {
    const env = { DATABASE_URL: url, PG_BIN_DIR: pgBinDir };
    const before = await rowCounts(url);
    expect(before['public.system_settings']).toBeGreaterThanOrEqual(250);

    const backup = await cli(['db:backup', '--dir', dir, '--keep', '2'], env);
    expect(backup.code, backup.output).toBe(0);
    expect(backup.output).toContain('backup written');
    const [file] = listBackups(dir);
    expect(basename(file!)).toMatch(new RegExp(`^bastion-${database}-\\d{8}T\\d{9}Z\\.dump$`));
    // pg_dump's custom format: restorable whole or table by table with pg_restore.
    expect(readFileSync(file!).subarray(0, 5).toString()).toBe('PGDMP');
    // The URL's password reaches pg_dump through the environment, never its command line.
    expect(backup.output).not.toContain(url);

    await dropDatabase(serverUrl, database);
    const refused = await cli(['db:restore', file!], env);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('run again with --yes');

    const restore = await cli(['db:restore', file!, '--yes'], env);
    expect(restore.code, restore.output).toBe(0);
    expect(await rowCounts(url)).toEqual(before);
  }, 60_000);

  it('keeps only the newest N backups', async () => {
    const env = { DATABASE_URL: url, PG_BIN_DIR: pgBinDir };
    for (let i = 0; i < 2; i++) {
      const result = await cli(['db:backup', '--dir', dir, '--keep', '2'], env);
      expect(result.code, result.output).toBe(0);
    }
    const kept = listBackups(dir);
    expect(kept).toHaveLength(2);
    expect(pruneBackups(dir, 1)).toEqual([kept[0]]);
    expect(listBackups(dir)).toEqual([kept[1]]);
  }, 60_000);

  it('restores the newest backup when no file is named', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DELETE FROM system_settings WHERE key LIKE 'backup-probe-%'`);
    await client.end();
    const restore = await cli(['db:restore', '--dir', dir, '--yes'], {
      DATABASE_URL: url,
      PG_BIN_DIR: pgBinDir,
    });
    expect(restore.code, restore.output).toBe(0);
    expect((await rowCounts(url))['public.system_settings']).toBeGreaterThanOrEqual(250);
  }, 60_000);

  it('names the client to install when pg_dump is older than the server', async () => {
    await expect(findPgTools(99)).rejects.toThrow(/install postgresql-client-99/);
  });
});
