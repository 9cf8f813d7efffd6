import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_EMBEDDED_PORT, isAlive } from '../src/db/embedded.js';
import { freePort } from './global-setup.js';
import {
  exited,
  postmasterOf,
  startServer,
  waitForHealth,
  type ServerProcess,
  type StartOptions,
} from './server-process.js';

/** Occupies 127.0.0.1:port, unless something already does (then it stays busy all the same). */
function occupy(port: number): Promise<Server | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

const isRoot = process.getuid?.() === 0;
/** As root, an ordinary user to run Bastion as: the `postgres` system user, which exists here. */
function ordinaryUser() {
  try {
    const ids = /uid=(\d+).*?gid=(\d+)/.exec(
      execFileSync('id', ['postgres'], { encoding: 'utf8' }),
    );
    return ids ? { uid: Number(ids[1]), gid: Number(ids[2]) } : undefined;
  } catch {
    return undefined;
  }
}

describe('the embedded PostgreSQL of several data directories', () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const dataDir = (mode = 0o755) => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-embedded-'));
    // As root, postgres runs as the `postgres` user, which must be able to reach its data dir.
    chmodSync(dir, mode);
    dirs.push(dir);
    return dir;
  };
  const start = (env: Record<string, string>, options: StartOptions = {}) => {
    // EMBEDDED_POSTGRES_PORT unset: an empty value counts as unset.
    const server = startServer({ EMBEDDED_POSTGRES_PORT: '', ...env }, options);
    servers.push(server);
    return server;
  };
  afterAll(() => {
    for (const server of servers) if (server.exitCode === null) server.kill('SIGKILL');
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('runs two checkouts at once: each data directory gets a free port and keeps it', async () => {
    const squatter = await occupy(DEFAULT_EMBEDDED_PORT);
    try {
      const [first, second] = [dataDir(), dataDir()];
      const [firstPort, secondPort] = [await freePort(), await freePort()];
      let a = start({ DATA_DIR: first, PORT: String(firstPort) });
      await waitForHealth(firstPort, a);
      const b = start({ DATA_DIR: second, PORT: String(secondPort) });
      expect(await waitForHealth(secondPort, b)).toMatchObject({ database: 'healthy' });

      const aPostgres = postmasterOf(join(first, 'postgres'))!;
      const bPostgres = postmasterOf(join(second, 'postgres'))!;
      expect(aPostgres.port).not.toBe(DEFAULT_EMBEDDED_PORT);
      expect(bPostgres.port).not.toBe(DEFAULT_EMBEDDED_PORT);
      expect(aPostgres.port).not.toBe(bPostgres.port);
      const remembered = (dir: string) =>
        Number(readFileSync(join(dir, 'postgres', 'bastion-port'), 'utf8'));
      expect(remembered(first)).toBe(aPostgres.port);
      expect(remembered(second)).toBe(bPostgres.port);

      // A management command finds the PostgreSQL of its data directory and leaves it running.
      const cli = start({ DATA_DIR: first }, { script: ['src/cli/main.ts', 'db:migrate'] });
      expect(await exited(cli)).toBe(0);
      expect(postmasterOf(join(first, 'postgres'))).toEqual(aPostgres);
      expect(isAlive(aPostgres.pid)).toBe(true);

      // Restarted, a data directory comes back on its own port.
      a.kill('SIGTERM');
      expect(await exited(a)).toBe(0);
      a = start({ DATA_DIR: first, PORT: String(firstPort) });
      await waitForHealth(firstPort, a);
      expect(postmasterOf(join(first, 'postgres'))!.port).toBe(aPostgres.port);
      for (const server of [a, b]) server.kill('SIGTERM');
      expect([await exited(a), await exited(b)]).toEqual([0, 0]);
    } finally {
      squatter?.close();
    }
  }, 300_000);

  it('refuses a busy EMBEDDED_POSTGRES_PORT, saying so', async () => {
    const port = await freePort();
    const squatter = (await occupy(port))!;
    try {
      const server = start({ DATA_DIR: dataDir(), EMBEDDED_POSTGRES_PORT: String(port) });
      expect(await exited(server)).toBe(1);
      expect(server.output()).toContain(
        `Port ${port} (EMBEDDED_POSTGRES_PORT) is already in use on 127.0.0.1`,
      );
    } finally {
      squatter.close();
    }
  }, 60_000);

  it.runIf(isRoot)(
    'explains a DATA_DIR the postgres user cannot reach, and how to fix it',
    async () => {
      const dir = dataDir(0o700); // root's, like /root
      const server = start({ DATA_DIR: dir });
      expect(await exited(server)).toBe(1);
      const output = server.output();
      expect(output).toContain(`The embedded PostgreSQL cannot reach its data in ${dir}/postgres`);
      expect(output).toContain('runs as the system user "postgres"');
      expect(output).toContain(`chmod o+x ${dir}`);
      expect(existsSync(join(dir, 'postgres', 'postmaster.pid'))).toBe(false);
    },
    60_000,
  );

  // Bastion as an ordinary user: postgres runs as that same user. As root, the test plays one.
  const user = isRoot ? ordinaryUser() : { uid: process.getuid!(), gid: process.getgid!() };
  it.runIf(user !== undefined)(
    'starts for an ordinary user, and explains a DATA_DIR that user cannot use',
    async () => {
      const options = isRoot ? { user: user! } : {};
      const own = dataDir();
      chownSync(own, user!.uid, user!.gid);
      const port = await freePort();
      const server = start({ DATA_DIR: own, PORT: String(port) }, options);
      expect(await waitForHealth(port, server)).toMatchObject({ database: 'healthy' });
      server.kill('SIGTERM');
      expect(await exited(server)).toBe(0);

      const closed = dataDir(0o000); // nobody but root may enter
      const refused = start({ DATA_DIR: join(closed, 'data') }, options);
      expect(await exited(refused)).toBe(1);
      expect(refused.output()).toContain(`cannot create or use ${closed}/data/postgres (EACCES)`);
      // In development the generated secret is the first thing written there.
      const development = start(
        { DATA_DIR: join(closed, 'data'), NODE_ENV: 'development' },
        options,
      );
      expect(await exited(development)).toBe(1);
      expect(development.output()).toContain(
        `DATA_DIR: ${closed}/data cannot be used by this user (EACCES)`,
      );
    },
    90_000,
  );
});
