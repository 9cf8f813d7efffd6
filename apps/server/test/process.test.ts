import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/db/embedded.js';
import { serverRoot } from '../src/paths.js';
import { freePort } from './global-setup.js';
import {
  childrenOf,
  exited,
  NODE_ARGS,
  postmasterOf,
  startServer,
  waitForHealth,
} from './server-process.js';

describe('the server process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastion-process-'));
  // As root, postgres runs as the `postgres` user, which must be able to reach its data dir.
  chmodSync(dataDir, 0o755);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start in production with a weak SECRET_KEY, naming the variable', async () => {
    const child = startServer({
      NODE_ENV: 'production',
      SECRET_KEY: 'too-short',
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
    });
    expect(await exited(child)).toBe(1);
    expect(child.output()).toContain('SECRET_KEY is too short');
  });

  it('starts the embedded PostgreSQL, stops it on SIGINT, reuses its data, and recovers from a SIGKILL', async () => {
    const [port, pgPort] = [await freePort(), await freePort()];
    const env = { DATA_DIR: dataDir, PORT: String(port), EMBEDDED_POSTGRES_PORT: String(pgPort) };
    const clusterDir = join(dataDir, 'postgres');
    const pidFile = join(clusterDir, 'postmaster.pid');
    const postgresUrl = `postgres://postgres:bastion-embedded@127.0.0.1:${pgPort}/bastion`;

    // 1. First start initialises the cluster; write a row; Ctrl-C stops everything.
    let server = startServer(env);
    expect(await waitForHealth(port, server)).toMatchObject({ database: 'healthy' });
    const client = new pg.Client(postgresUrl);
    await client.connect();
    await client.query(`INSERT INTO system_settings (key, value) VALUES ('probe', 'kept')`);
    await client.end();
    const postgresPid = postmasterOf(clusterDir)!.pid;
    server.kill('SIGINT');
    expect(await exited(server)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(isAlive(postgresPid)).toBe(false);

    // 2. Second start reuses the data directory.
    server = startServer(env);
    await waitForHealth(port, server);
    const again = new pg.Client(postgresUrl);
    await again.connect();
    const { rows } = await again.query(`SELECT value FROM system_settings WHERE key = 'probe'`);
    await again.end();
    expect(rows).toEqual([{ value: 'kept' }]);

    // A management command while the server runs uses the same PostgreSQL and leaves it running.
    const sharedPid = postmasterOf(clusterDir)!.pid;
    const cli = spawn(
      process.execPath,
      [...NODE_ARGS.slice(0, 3), 'src/cli/main.ts', 'db:migrate'],
      {
        cwd: serverRoot,
        env: { ...process.env, ...env, DATABASE_URL: '', LOG_FORMAT: 'json' },
        stdio: 'ignore',
      },
    );
    expect(await exited(cli)).toBe(0);
    expect(isAlive(sharedPid)).toBe(true);
    expect(await waitForHealth(port, server)).toMatchObject({ database: 'healthy' });

    // 3. A SIGKILLed parent: postgres, in a session of its own, is stopped by its watchdog.
    const orphanPid = postmasterOf(clusterDir)!.pid;
    server.kill('SIGKILL');
    await exited(server);
    await expect.poll(() => isAlive(orphanPid), { timeout: 15_000 }).toBe(false);
    expect(existsSync(pidFile)).toBe(false);

    // 4. Parent and watchdog both SIGKILLed leave postgres running; the next start stops it.
    server = startServer(env);
    await waitForHealth(port, server);
    const leftoverPid = postmasterOf(clusterDir)!.pid;
    const watchdogs = childrenOf(server.pid!).filter((pid) => pid !== leftoverPid);
    expect(watchdogs).toHaveLength(1);
    process.kill(watchdogs[0]!, 'SIGKILL');
    server.kill('SIGKILL');
    await exited(server);
    await expect.poll(() => isAlive(watchdogs[0]!)).toBe(false);
    expect(isAlive(leftoverPid)).toBe(true);
    server = startServer(env);
    await waitForHealth(port, server);
    expect(isAlive(leftoverPid)).toBe(false);
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 180_000);
});
