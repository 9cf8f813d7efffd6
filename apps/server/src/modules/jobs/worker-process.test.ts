import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverRoot } from '../../paths.js';
import { createJobsHarness, type JobsHarness } from './test-support/harness.js';
import { noopJob } from './system-jobs.js';
import { blockOnceJob, sleepJob } from './test-support/test-jobs.js';

type Worker = ChildProcess & { output: () => string };

/** A real worker process (test-support/worker-process.ts, or `main.ts <role>`) on the test database. */
function startWorker(
  databaseUrl: string,
  env: Record<string, string> = {},
  args = ['src/modules/jobs/test-support/worker-process.ts', '--queues', 'default:4'],
): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', ...args], {
    cwd: serverRoot,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'info',
      ...env,
    },
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

describe('worker processes', () => {
  let h: JobsHarness;
  const children: Worker[] = [];
  const worker = (env?: Record<string, string>, args?: string[]) => {
    const child = startWorker(h.database.url, env, args);
    children.push(child);
    return child;
  };
  beforeAll(async () => {
    h = await createJobsHarness();
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await h.close();
  });

  const pidOf = (value: string | undefined) => Number(value?.split('@')[1]);

  it('retries the job of a SIGKILLed worker after its timeout, in another worker, to completion', async () => {
    const first = worker();
    await expect.poll(() => first.output(), { timeout: 20_000 }).toContain('worker ready');
    const id = await h.app.jobs.enqueue(blockOnceJob, { tag: 'crash' });
    await expect.poll(() => h.setting('started:crash'), { timeout: 10_000 }).toBe(`1@${first.pid}`);
    first.kill('SIGKILL');
    await exited(first);
    expect(await h.jobState(id)).toBe('active');

    const second = worker();
    // timeoutSeconds (4 s) is the lease: once it lapses, maintenance hands the job back.
    await expect.poll(() => h.jobState(id), { timeout: 30_000 }).toBe('completed');
    const starts = (await h.setting('started:crash'))!.split(',');
    expect(starts).toHaveLength(2);
    expect(starts[1]).toBe(`2@${second.pid}`);
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
  }, 60_000);

  it('on SIGTERM stops fetching, finishes running jobs within the deadline and releases the rest', async () => {
    // Both are waiting when the worker starts, so its first fetch claims them as one batch: the
    // quick job must be settled on its own, not held (and failed) with its stuck batch-mate.
    const quick = await h.app.jobs.enqueue(sleepJob, { tag: 'quick', ms: 1000 });
    const stuck = await h.app.jobs.enqueue(blockOnceJob, { tag: 'stuck' });
    const child = worker({ SHUTDOWN_TIMEOUT_MS: '3000' });
    await expect.poll(() => child.output(), { timeout: 20_000 }).toContain('worker ready');
    await expect.poll(() => h.setting('started:quick'), { timeout: 10_000 }).toBeDefined();
    await expect.poll(() => h.setting('started:stuck'), { timeout: 10_000 }).toBeDefined();
    child.kill('SIGTERM');
    await expect.poll(() => child.output(), { timeout: 5_000 }).toContain('worker stopping');
    // Enqueued once the worker is stopping: it must not pick it up.
    const late = await h.app.jobs.enqueue(sleepJob, { tag: 'late', ms: 0 });
    expect(await exited(child)).toBe(0);
    expect(pidOf(await h.setting('finished:quick'))).toBe(child.pid);
    expect(await h.jobState(quick)).toBe('completed');
    // Released rather than left active until its lease expires: it will run again.
    expect(await h.jobState(stuck)).toBe('retry');
    expect(await h.jobState(late)).toBe('created');
    const released = await h.inject({ method: 'GET', url: `/api/jobs/default/${stuck}` });
    expect(released.json().error.message).toMatch(/shut down/);
  }, 60_000);

  it('runs `main.js worker` and `main.js scheduler` as separate processes that stop cleanly on SIGTERM', async () => {
    const env = { SERVE_WEB: 'false', LOG_LEVEL: 'info' };
    const workerProcess = worker(env, ['src/main.ts', 'worker', '--queues', 'default:2,mail:1']);
    const scheduler = worker(env, ['src/main.ts', 'scheduler']);
    await expect
      .poll(() => workerProcess.output(), { timeout: 45_000 })
      .toContain('worker started');
    await expect.poll(() => scheduler.output(), { timeout: 45_000 }).toContain('scheduler started');
    // The worker role consumes; the scheduler role mirrored the code-declared schedules into pg-boss.
    const id = await h.app.jobs.enqueue(noopJob, {});
    await expect.poll(() => h.jobState(id), { timeout: 10_000 }).toBe('completed');
    const schedules = await h.inject({ method: 'GET', url: '/api/jobs/schedules' });
    expect(schedules.statusCode).toBe(200);
    const { rows } = await h.database.pool.query(
      `SELECT key FROM pgboss.schedule WHERE key = 'jobs-heartbeat'`,
    );
    expect(rows).toHaveLength(1);
    workerProcess.kill('SIGTERM');
    scheduler.kill('SIGTERM');
    expect(await exited(workerProcess)).toBe(0);
    expect(await exited(scheduler)).toBe(0);
  }, 120_000);
});
