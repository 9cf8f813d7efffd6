import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../src/db/embedded.js';
import { serverRoot } from '../src/paths.js';
import { freePort } from './global-setup.js';

// The real entry point, as `npm start` runs it (from source here, so no build is needed). tsx is
// loaded into this one node process rather than run as a wrapper, so signals reach the server.
const NODE_ARGS = ['--import', 'tsx', '--conditions=source', 'src/main.ts'];

function startServer(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, NODE_ARGS, {
    cwd: serverRoot,
    env: { ...process.env, SERVE_WEB: 'false', LOG_FORMAT: 'json', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitForHealth(port: number, child: ChildProcess & { output: () => string }) {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${child.output()}`);
    const response = await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => undefined);
    if (response?.ok) return (await response.json()) as { database: string };
    await delay(100);
  }
  throw new Error(`server never became healthy:\n${child.output()}`);
}

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
    const pidFile = join(dataDir, 'postgres', 'postmaster.pid');
    const postgresUrl = `postgres://postgres:bastion-embedded@127.0.0.1:${pgPort}/bastion`;

    // 1. First start initialises the cluster; write a row; Ctrl-C stops everything.
    let server = startServer(env);
    expect(await waitForHealth(port, server)).toMatchObject({ database: 'healthy' });
    const client = new pg.Client(postgresUrl);
    await client.connect();
    await client.query(`INSERT INTO system_settings (key, value) VALUES ('probe', 'kept')`);
    await client.end();
    const postgresPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
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
    const sharedPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
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

    // 3. A SIGKILLed parent leaves postgres running; the next start must cope with it.
    const orphanPid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    server.kill('SIGKILL');
    await exited(server);
    expect(isAlive(orphanPid)).toBe(true);
    server = startServer(env);
    await waitForHealth(port, server);
    expect(isAlive(orphanPid)).toBe(false);
    server.kill('SIGTERM');
    expect(await exited(server)).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 60_000);
});
