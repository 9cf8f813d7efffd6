import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsHarness, type JobsHarness } from './test-support/harness.js';
import './test-support/test-jobs.js';

describe('schedules API', () => {
  let h: JobsHarness;
  beforeAll(async () => {
    h = await createJobsHarness();
  });
  afterAll(() => h.close());

  const bossSchedule = async (key: string) => {
    const result = await h.database.db.execute<{ name: string; cron: string; timezone: string }>(
      sql`SELECT name, cron, timezone FROM pgboss.schedule WHERE key = ${key}`,
    );
    return result.rows;
  };

  it('lists the schedules declared in code, with their next five runs', async () => {
    const response = await h.inject({ method: 'GET', url: '/api/jobs/schedules' });
    expect(response.statusCode).toBe(200);
    const heartbeat = response
      .json()
      .items.find((s: { name: string }) => s.name === 'jobs-heartbeat');
    expect(heartbeat).toMatchObject({
      cron: '*/5 * * * *',
      job: 'jobs.heartbeat',
      builtIn: true,
      enabled: true,
    });
    expect(heartbeat.nextRuns).toHaveLength(5);
  });

  it('previews the next five runs of a cron expression in a time zone', async () => {
    const response = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules/preview',
      payload: { cron: '30 9 * * 1-5', timezone: 'Europe/Paris' },
    });
    expect(response.statusCode).toBe(200);
    const runs: string[] = response.json().nextRuns;
    expect(runs).toHaveLength(5);
    for (const run of runs) {
      const parts = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Paris',
        hour: '2-digit',
        minute: '2-digit',
        weekday: 'short',
      }).format(new Date(run));
      expect(parts).toMatch(/^(Mon|Tue|Wed|Thu|Fri) 09:30$/);
    }
  });

  it('refuses an invalid cron expression or time zone with a field error', async () => {
    for (const [payload, field] of [
      [{ cron: '61 * * * *' }, 'cron'],
      [{ cron: 'every day' }, 'cron'],
      [{ cron: '0 * * * * *' }, 'cron'],
      [{ cron: '0 * * * *', timezone: 'Mars/Olympus' }, 'timezone'],
    ] as const) {
      const response = await h.inject({
        method: 'POST',
        url: '/api/jobs/schedules/preview',
        payload,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details[0].path).toEqual([field]);
    }
  });

  it('creates, edits, disables and deletes a schedule, mirroring each change into pg-boss', async () => {
    const created = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules',
      payload: {
        name: 'nightly-sleep',
        cron: '0 3 * * *',
        job: 'test.sleep',
        payload: { tag: 'n', ms: 0 },
      },
    });
    expect(created.statusCode).toBe(201);
    expect(await bossSchedule('nightly-sleep')).toEqual([
      { name: 'default', cron: '0 3 * * *', timezone: 'UTC' },
    ]);

    const edited = await h.inject({
      method: 'PATCH',
      url: '/api/jobs/schedules/nightly-sleep',
      payload: { cron: '15 4 * * *', timezone: 'America/New_York' },
    });
    expect(edited.statusCode).toBe(200);
    const nextRun = new Date(edited.json().nextRuns[0]);
    expect(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
      }).format(nextRun),
    ).toBe('04:15');
    expect(await bossSchedule('nightly-sleep')).toEqual([
      { name: 'default', cron: '15 4 * * *', timezone: 'America/New_York' },
    ]);

    const badPayload = await h.inject({
      method: 'PATCH',
      url: '/api/jobs/schedules/nightly-sleep',
      payload: { payload: { tag: 'n' } },
    });
    expect(badPayload.statusCode).toBe(400);
    expect(badPayload.json().error.details[0].path).toEqual(['ms']);

    const disabled = await h.inject({
      method: 'PATCH',
      url: '/api/jobs/schedules/nightly-sleep',
      payload: { enabled: false },
    });
    expect(disabled.json()).toMatchObject({ enabled: false, nextRuns: [] });
    expect(await bossSchedule('nightly-sleep')).toEqual([]);

    const deleted = await h.inject({ method: 'DELETE', url: '/api/jobs/schedules/nightly-sleep' });
    expect(deleted.statusCode).toBe(200);
    const gone = await h.inject({
      method: 'PATCH',
      url: '/api/jobs/schedules/nightly-sleep',
      payload: {},
    });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses a schedule for an unknown job, a duplicate name, or deleting a built-in one', async () => {
    const unknown = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules',
      payload: { name: 'ghost', cron: '0 3 * * *', job: 'nope.nothing' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toEqual(['job']);
    const duplicate = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules',
      payload: { name: 'jobs-heartbeat', cron: '0 3 * * *', job: 'jobs.heartbeat' },
    });
    expect(duplicate.statusCode).toBe(409);
    const builtIn = await h.inject({ method: 'DELETE', url: '/api/jobs/schedules/jobs-heartbeat' });
    expect(builtIn.statusCode).toBe(409);
  });

  it("runs a schedule's job now on request", async () => {
    const response = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules/jobs-heartbeat/run',
    });
    expect(response.statusCode).toBe(202);
    const job = await h.inject({ method: 'GET', url: `/api/jobs/default/${response.json().id}` });
    expect(job.json()).toMatchObject({
      job: 'jobs.heartbeat',
      schedule: 'jobs-heartbeat',
      state: 'created',
    });
  });
});

describe('the scheduler', () => {
  let h: JobsHarness;
  beforeAll(async () => {
    h = await createJobsHarness();
  });
  afterAll(() => h.close());

  it('applies an edited schedule without a restart, and two running schedulers enqueue each occurrence once', async () => {
    await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules',
      payload: {
        name: 'every-minute',
        cron: '0 0 1 1 *',
        job: 'test.sleep',
        payload: { tag: 'beat', ms: 0 },
      },
    });
    // Two scheduler processes' worth of pg-boss instances, both running the cron pass every second.
    await h.runtime('scheduler', { cronSeconds: 1 });
    await h.runtime('scheduler', { cronSeconds: 1 });
    await h.runtime('worker');

    const edited = await h.inject({
      method: 'PATCH',
      url: '/api/jobs/schedules/every-minute',
      payload: { cron: '* * * * *' },
    });
    expect(edited.statusCode).toBe(200);

    const scheduledJobs = async () =>
      (
        await h.database.db.execute<{ id: string; state: string }>(
          sql`SELECT id, state::text AS state FROM pgboss.job WHERE data->>'schedule' = 'every-minute'`,
        )
      ).rows;
    // The next minute boundary is at most 60 s away.
    await expect
      .poll(async () => (await scheduledJobs()).length, { timeout: 75_000, interval: 500 })
      .toBeGreaterThan(0);
    const cronOn = async () =>
      (await h.database.db.execute<{ cron_on: Date }>(sql`SELECT cron_on FROM pgboss.version`))
        .rows[0]!.cron_on;
    // Let several more cron passes (by either instance) go by within the same minute.
    const firstSeen = Date.now();
    await expect
      .poll(async () => new Date(await cronOn()).getTime(), { timeout: 10_000 })
      .toBeGreaterThan(firstSeen + 2000);
    // One job per occurrence (a minute boundary may have passed meanwhile: then one per minute).
    const perOccurrence = await h.database.db.execute<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM pgboss.job WHERE data->>'schedule' = 'every-minute'
      GROUP BY date_trunc('minute', created_on)`);
    expect(perOccurrence.rows.map((row) => row.count)).toEqual(perOccurrence.rows.map(() => 1));
    await expect
      .poll(async () => (await scheduledJobs())[0]?.state, { timeout: 10_000 })
      .toBe('completed');
    await expect.poll(() => h.setting('finished:beat'), { timeout: 10_000 }).toBeDefined();
    const schedule = await h.inject({ method: 'GET', url: '/api/jobs/schedules' });
    const row = schedule.json().items.find((s: { name: string }) => s.name === 'every-minute');
    expect(row.lastRunAt).not.toBeNull();
  }, 120_000);
});
