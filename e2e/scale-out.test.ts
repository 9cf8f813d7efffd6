import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../apps/server/test/app.js';
import { freePort } from '../apps/server/test/global-setup.js';
import { insertUser } from '../apps/server/src/modules/accounts/users.js';
import { createBoss } from '../apps/server/src/modules/jobs/boss.js';
import { JobsClient } from '../apps/server/src/modules/jobs/client.js';
import { sleepJob } from '../apps/server/src/modules/jobs/test-support/test-jobs.js';

// The deployment's scale-out shape on one machine: 2 API processes, 2 workers and 2 schedulers
// (each a real process started from source) against one PostgreSQL database and one Redis.
const serverRoot = resolve(import.meta.dirname, '../apps/server');
const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((path) =>
  existsSync(path),
);
const RATE_LIMIT = 30;

type Proc = ChildProcess & { output: () => string };

function start(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', ...args], {
    cwd: serverRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

async function waitFor(child: Proc, what: string, ready: () => Promise<boolean>) {
  for (let attempt = 0; attempt < 1200; attempt++) {
    if (child.exitCode !== null) throw new Error(`${what} exited early:\n${child.output()}`);
    if (await ready().catch(() => false)) return;
    await delay(100);
  }
  throw new Error(`${what} never became ready:\n${child.output()}`);
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((done) => child.once('exit', () => done()));

/** The cookies a response sets, as a Cookie header. */
const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');

describe('scale-out: 2 APIs, 2 workers, 2 schedulers, one PostgreSQL and one Redis', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: ChildProcess | undefined;
  let boss: ReturnType<typeof createBoss> | undefined;
  const apis: (Proc & { url: string })[] = [];
  const workers: Proc[] = [];
  const schedulers: Proc[] = [];
  const all = () => [...apis, ...workers, ...schedulers];

  beforeAll(async () => {
    database = await createTestDatabase();
    // A Redis of its own: nothing shared with other tests, gone when the test ends.
    if (!REDIS_SERVER)
      throw new Error('redis-server is not installed: apt-get install -y redis-server');
    const redisPort = await freePort();
    redis = spawn(
      REDIS_SERVER,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const env = {
      NODE_ENV: 'test',
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SERVE_WEB: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: String(RATE_LIMIT),
    };
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      apis.push(
        Object.assign(start(['src/main.ts', 'web'], { ...env, PORT: String(port) }), {
          url: `http://127.0.0.1:${port}`,
        }),
      );
      // The worker of the jobs tests: `main.js worker` plus the test job types (test.sleep).
      workers.push(
        start(['src/modules/jobs/test-support/worker-process.ts', '--queues', 'default:4'], env),
      );
      schedulers.push(start(['src/main.ts', 'scheduler'], env));
    }
    await Promise.all([
      ...apis.map((api) =>
        waitFor(api, 'API', async () => (await fetch(`${api.url}/api/health`)).ok),
      ),
      ...workers.map((worker) =>
        waitFor(worker, 'worker', async () => worker.output().includes('worker ready')),
      ),
      ...schedulers.map((scheduler) =>
        waitFor(scheduler, 'scheduler', async () =>
          scheduler.output().includes('scheduler started'),
        ),
      ),
    ]);
    // Six processes booting from source at once on a shared machine: allow for a slow start.
  }, 180_000);

  afterAll(async () => {
    for (const child of all()) child.kill('SIGTERM');
    await Promise.all(all().map(exited));
    await boss?.stop({ graceful: false });
    redis?.kill('SIGTERM');
    if (redis) await exited(redis);
    await database?.drop();
  }, 60_000);

  it('accepts a session created on one API on the other, CSRF included', async () => {
    const [a, b] = apis as [Proc & { url: string }, Proc & { url: string }];
    const password = 'correct horse battery staple';
    await insertUser(database.db, {
      email: 'ops@example.test',
      password,
      role: 'staff',
      displayName: 'Ops',
      verified: true,
    });
    const login = await fetch(`${a.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.test', password }),
    });
    expect(login.status).toBe(200);
    const cookie = cookiesOf(login);
    const csrf = /bastion_csrf=([^;]+)/.exec(cookie)?.[1];
    expect(csrf).toBeTruthy();

    const me = await fetch(`${b.url}/api/v1/users/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ email: 'ops@example.test' });

    // A state-changing request on B with the CSRF token A issued: every minute, one heartbeat.
    const schedule = await fetch(`${b.url}/api/jobs/schedules`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf!, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'scale-out-beat', cron: '* * * * *', job: 'jobs.heartbeat' }),
    });
    expect(schedule.status, await schedule.clone().text()).toBe(201);
  });

  it('shares rate limits between the APIs through Redis', async () => {
    // Alternate between the APIs: with per-process counters each would allow RATE_LIMIT.
    const statuses: number[] = [];
    for (let i = 0; i < 2 * RATE_LIMIT && !statuses.includes(429); i++) {
      const api = apis[i % 2]!;
      statuses.push((await fetch(`${api.url}/api/v1/auth/state`)).status);
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((status) => status !== 429).length).toBeLessThanOrEqual(RATE_LIMIT);
    for (const api of apis) {
      expect((await fetch(`${api.url}/api/v1/auth/state`)).status).toBe(429);
    }
  });

  it('runs every job exactly once across both workers', async () => {
    boss = createBoss(database.url, pino({ level: 'silent' }), { poolMax: 2 });
    await boss.start();
    const tags = Array.from({ length: 200 }, (_, i) => `scale-${i}`);
    await new JobsClient(boss).enqueueMany(
      sleepJob,
      tags.map((tag) => ({ tag, ms: 0 })),
    );
    const finished = async () =>
      (
        await database.db.execute<{ key: string; value: string }>(
          sql`SELECT key, value FROM system_settings WHERE key LIKE 'finished:scale-%'`,
        )
      ).rows;
    await expect
      .poll(async () => (await finished()).length, { timeout: 60_000, interval: 250 })
      .toBe(tags.length);
    const rows = await finished();
    // One `attempt@pid` entry per job: a second run would have appended another.
    expect(rows.filter((row) => row.value.includes(','))).toEqual([]);
    expect(rows.every((row) => row.value.startsWith('1@'))).toBe(true);
    const pids = new Set(rows.map((row) => row.value.split('@')[1]));
    expect(pids).toEqual(new Set(workers.map((worker) => String(worker.pid))));
  }, 90_000);

  it('enqueues each scheduled occurrence once although two schedulers run', async () => {
    const occurrences = async () =>
      (
        await database.db.execute<{ minute: string; count: number; completed: number }>(sql`
          SELECT date_trunc('minute', created_on)::text AS minute, count(*)::int AS count,
            count(*) FILTER (WHERE state = 'completed')::int AS completed
          FROM pgboss.job WHERE data->>'schedule' = 'scale-out-beat' GROUP BY 1`)
      ).rows;
    // Minute-granular cron: the next boundary is at most a minute (plus a monitor pass) away.
    await expect
      .poll(async () => (await occurrences()).some((row) => row.completed > 0), {
        timeout: 100_000,
        interval: 1000,
      })
      .toBe(true);
    expect((await occurrences()).map((row) => row.count)).toEqual(
      (await occurrences()).map(() => 1),
    );
    for (const scheduler of schedulers) expect(scheduler.exitCode).toBeNull();
  }, 120_000);

  it('leaves nothing behind: every process stops cleanly on SIGTERM', async () => {
    const children = all();
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map(exited));
    expect(children.map((child) => child.exitCode)).toEqual(children.map(() => 0));
  }, 60_000);
});
