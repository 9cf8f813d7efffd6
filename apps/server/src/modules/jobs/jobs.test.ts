import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, registerJobs } from './registry.js';
import { createJobsHarness, type JobsHarness } from './test-support/harness.js';

// Handlers run in this process, so they can report to the test through memory.
const runs = new Map<string, number>();
const attemptsAt = new Map<string, number[]>();

const countJob = defineJob({
  name: 'test.count',
  queue: 'default',
  schema: z.object({ key: z.string() }),
  retry: { limit: 2 },
  timeoutSeconds: 30,
  async handler({ key }) {
    runs.set(key, (runs.get(key) ?? 0) + 1);
  },
});

/** Fails until attempt `succeedOn`; remembers when each attempt started. */
const flakyJob = defineJob({
  name: 'test.flaky',
  queue: 'default',
  schema: z.object({ key: z.string(), succeedOn: z.number().int() }),
  retry: { limit: 2, backoff: true, delaySeconds: 1 },
  timeoutSeconds: 30,
  async handler({ key, succeedOn }, { attempt }) {
    attemptsAt.set(key, [...(attemptsAt.get(key) ?? []), Date.now()]);
    if (attempt < succeedOn) throw new Error(`attempt ${attempt} of ${key} failed on purpose`);
  },
});

registerJobs([countJob, flakyJob]);

describe('background jobs', () => {
  let h: JobsHarness;
  beforeAll(async () => {
    h = await createJobsHarness();
    await h.runtime('worker');
  });
  afterAll(() => h.close());

  it('runs a job exactly once per enqueue', async () => {
    const ids = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.app.jobs.enqueue(countJob, { key: `once-${i}` })),
    );
    await expect
      .poll(async () => Promise.all(ids.map((id) => h.jobState(id))), { timeout: 15_000 })
      .toEqual(ids.map(() => 'completed'));
    for (let i = 0; i < 20; i++) expect(runs.get(`once-${i}`)).toBe(1);
  });

  it('refuses a payload that does not match the job schema, naming the field', async () => {
    await expect(h.app.jobs.enqueue(countJob, { key: 42 } as never)).rejects.toMatchObject({
      statusCode: 400,
      details: [expect.objectContaining({ path: ['key'] })],
    });
  });

  it('retries a failing job with exponential backoff until it succeeds', async () => {
    const id = await h.app.jobs.enqueue(flakyJob, { key: 'backoff', succeedOn: 3 });
    await expect.poll(() => h.jobState(id), { timeout: 20_000 }).toBe('completed');
    const [first, second, third] = attemptsAt.get('backoff')!;
    // delay × 2^(retry-1) with jitter: ≥ 1 s before the first retry, ≥ 2 s before the second.
    expect(second! - first!).toBeGreaterThanOrEqual(900);
    expect(third! - second!).toBeGreaterThanOrEqual(1900);
    const job = await h.inject({ method: 'GET', url: `/api/jobs/default/${id}` });
    expect(job.json()).toMatchObject({ state: 'completed', attempts: 3, maxAttempts: 3 });
  });

  it('keeps a job whose retries ran out as failed, with its error and stack, and dead-letters a copy', async () => {
    const id = await h.app.jobs.enqueue(flakyJob, { key: 'exhausted', succeedOn: 99 });
    await expect.poll(() => h.jobState(id), { timeout: 20_000 }).toBe('failed');
    const failed = await h.inject({ method: 'GET', url: '/api/jobs?state=failed&queue=default' });
    const job = failed.json().items.find((item: { id: string }) => item.id === id);
    expect(job).toMatchObject({
      job: 'test.flaky',
      attempts: 3,
      payload: { key: 'exhausted', succeedOn: 99 },
      error: { message: 'attempt 3 of exhausted failed on purpose' },
    });
    expect(job.error.stack).toContain('jobs.test.ts');
    const dead = await h.inject({ method: 'GET', url: '/api/jobs?queue=dead-letter' });
    expect(dead.json().items).toContainEqual(
      expect.objectContaining({ source: { queue: 'default', id }, job: 'test.flaky' }),
    );
  });

  it('retries a failed job on request and removes its dead-letter copy', async () => {
    const id = await h.app.jobs.enqueue(flakyJob, { key: 'manual', succeedOn: 4 });
    await expect.poll(() => h.jobState(id), { timeout: 20_000 }).toBe('failed');
    const retried = await h.inject({ method: 'POST', url: `/api/jobs/default/${id}/retry` });
    expect(retried.statusCode).toBe(200);
    await expect.poll(() => h.jobState(id), { timeout: 10_000 }).toBe('completed');
    const dead = await h.inject({ method: 'GET', url: '/api/jobs?queue=dead-letter' });
    expect(
      dead.json().items.filter((item: { source: { id: string } | null }) => item.source?.id === id),
    ).toEqual([]);
    const again = await h.inject({ method: 'POST', url: `/api/jobs/default/${id}/retry` });
    expect(again.statusCode).toBe(409);
  });

  it('cancels a queued job so it never runs', async () => {
    const id = await h.app.jobs.enqueue(countJob, { key: 'cancelled' }, { startAfter: 3600 });
    const response = await h.inject({ method: 'POST', url: `/api/jobs/default/${id}/cancel` });
    expect(response.statusCode).toBe(200);
    expect(await h.jobState(id)).toBe('cancelled');
    const missing = await h.inject({
      method: 'POST',
      url: '/api/jobs/default/00000000-0000-4000-8000-000000000000/cancel',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('enqueues inside the caller transaction: the job exists if and only if it commits', async () => {
    const { db } = h.database;
    let committedId = '';
    await db.transaction(async (tx) => {
      await tx.execute(sql`INSERT INTO system_settings (key, value) VALUES ('tx-commit', 'row')`);
      committedId = await h.app.jobs.enqueue(countJob, { key: 'tx-commit' }, { db: tx });
    });
    await expect.poll(() => h.jobState(committedId), { timeout: 10_000 }).toBe('completed');
    expect(runs.get('tx-commit')).toBe(1);

    let rolledBackId = '';
    await expect(
      db.transaction(async (tx) => {
        await tx.execute(
          sql`INSERT INTO system_settings (key, value) VALUES ('tx-rollback', 'row')`,
        );
        rolledBackId = await h.app.jobs.enqueue(countJob, { key: 'tx-rollback' }, { db: tx });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    expect(rolledBackId).not.toBe('');
    expect(await h.jobState(rolledBackId)).toBeUndefined();
    expect(await h.setting('tx-rollback')).toBeUndefined();
    expect(runs.get('tx-rollback')).toBeUndefined();
  });

  it('enqueues many jobs in one insert, also transactionally', async () => {
    const ids = await h.database.db.transaction((tx) =>
      h.app.jobs.enqueueMany(countJob, [{ key: 'bulk-1' }, { key: 'bulk-2' }], { db: tx }),
    );
    expect(ids).toHaveLength(2);
    await expect.poll(() => runs.get('bulk-2'), { timeout: 10_000 }).toBe(1);
  });

  it('reports per-queue counts and last-hour throughput on the overview', async () => {
    // The queue pg-boss's cron creates for itself: plumbing that the overview leaves out.
    await h.app.jobs.boss.createQueue('__pgboss__send-it');
    const response = await h.inject({ method: 'GET', url: '/api/jobs/overview' });
    expect(response.statusCode).toBe(200);
    const overview = response.json();
    expect(overview.queues.map((queue: { name: string }) => queue.name)).toEqual(
      expect.arrayContaining(['default', 'mail', 'dead-letter']),
    );
    expect(overview.queues.map((queue: { name: string }) => queue.name)).not.toContain(
      '__pgboss__send-it',
    );
    const defaults = overview.queues.find((queue: { name: string }) => queue.name === 'default');
    expect(defaults.counts.completed).toBeGreaterThan(0);
    expect(overview.throughput).toHaveLength(60);
    const total = overview.throughput.reduce(
      (sum: number, p: { completed: number }) => sum + p.completed,
      0,
    );
    expect(total).toBe(defaults.counts.completed);
  });
});

describe('jobs API access', () => {
  let h: JobsHarness;
  beforeAll(async () => {
    h = await createJobsHarness();
  });
  afterAll(() => h.close());

  it('is for staff only: anonymous callers get 401 and plain users 403', async () => {
    const { createUser, loginAs } = await import('../../../test/auth.js');
    const user = await createUser(h, { role: 'user' });
    const asUser = await loginAs(h, user);
    for (const [method, url] of [
      ['GET', '/api/jobs/overview'],
      ['GET', '/api/jobs'],
      ['GET', '/api/jobs/schedules'],
      ['POST', '/api/jobs/schedules/jobs-heartbeat/run'],
      ['PATCH', '/api/jobs/schedules/jobs-heartbeat'],
    ] as const) {
      const anonymous = await h.app.inject({
        method,
        url,
        payload: method === 'GET' ? undefined : {},
      });
      expect(anonymous.statusCode, `${method} ${url}`).toBe(401);
      const plain = await h.app.inject({
        method,
        url,
        headers: asUser,
        payload: method === 'GET' ? undefined : {},
      });
      expect(plain.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
