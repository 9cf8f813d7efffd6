import type { AdminHistory, AdminList } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTestApp, type AdminTestApp } from '../../../test/admin-app.js';

// Job schedules in the generic admin: edits checked with the jobs module's rules (cron-parser,
// time zones, the job's payload schema) and mirrored into pg-boss's schedule table in the same
// transaction; disabling unschedules; "run now" enqueues; built-in schedules are not deleted.

let h: AdminTestApp;
const base = '/api/v1/admin/resources/job-schedules';
const heartbeat = `${base}/jobs-heartbeat`;

async function call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  return h.t.app.inject({
    method,
    url,
    headers: await h.as(h.staff),
    ...(payload ? { payload: payload as Record<string, unknown> } : {}),
  });
}

const bossSchedule = async (key: string) =>
  (
    await h.t.database.pool.query<{ name: string; cron: string; timezone: string }>(
      'SELECT name, cron, timezone FROM pgboss.schedule WHERE key = $1',
      [key],
    )
  ).rows;

beforeAll(async () => {
  h = await adminTestApp();
});
afterAll(() => h?.t.close());

describe('job schedules in the admin', () => {
  it('lists the schedules, searched and filtered', async () => {
    const all = (await call('GET', base)).json() as AdminList;
    expect(all.items.map((item) => item.id)).toContain('jobs-heartbeat');
    expect(all.items.find((item) => item.id === 'jobs-heartbeat')).toMatchObject({
      jobName: 'jobs.heartbeat',
      cron: '*/5 * * * *',
      enabled: true,
    });
    const found = (await call('GET', `${base}?q=heartbeat`)).json() as AdminList;
    expect(found.items.map((item) => item.id)).toEqual(['jobs-heartbeat']);
    const builtIn = await call('GET', `${base}?filters=${encodeURIComponent('{"builtIn":false}')}`);
    expect((builtIn.json() as AdminList).items).toEqual([]);
  });

  it('refuses a bad cron expression, time zone or payload with field errors', async () => {
    for (const [payload, path] of [
      [{ cron: '61 * * * *' }, ['cron']],
      [{ cron: '0 * * * * *' }, ['cron']],
      [{ cron: 'every day' }, ['cron']],
      [{ timezone: 'Mars/Olympus' }, ['timezone']],
      [{ payload: { extra: 1 } }, ['payload']],
      [{ enabled: 'yes' }, ['enabled']],
    ] as const) {
      const response = await call('PATCH', heartbeat, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.details[0].path.slice(0, 1)).toEqual(path);
    }
    expect((await call('PATCH', heartbeat, { jobName: 'jobs.noop' })).statusCode).toBe(403);
    expect(await bossSchedule('jobs-heartbeat')).toEqual([]);
  });

  it('mirrors an edit into pg-boss, and a disable removes it there', async () => {
    const edited = await call('PATCH', heartbeat, {
      cron: '*/10 * * * *',
      timezone: 'Europe/Paris',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().record).toMatchObject({ cron: '*/10 * * * *', timezone: 'Europe/Paris' });
    expect(await bossSchedule('jobs-heartbeat')).toEqual([
      { name: 'default', cron: '*/10 * * * *', timezone: 'Europe/Paris' },
    ]);
    // The jobs API shows the same schedule.
    const api = await h.t.app.inject({ url: '/api/jobs/schedules', headers: await h.as(h.staff) });
    expect(
      api.json().items.find((item: { name: string }) => item.name === 'jobs-heartbeat'),
    ).toMatchObject({ cron: '*/10 * * * *', timezone: 'Europe/Paris' });

    expect((await call('PATCH', heartbeat, { enabled: false })).statusCode).toBe(200);
    expect(await bossSchedule('jobs-heartbeat')).toEqual([]);

    // Restoring the edit from the history goes through the same path, pg-boss included.
    await call('PATCH', heartbeat, { enabled: true });
    const history = (await call('GET', `${heartbeat}/history`)).json() as AdminHistory;
    const cronEdit = history.items.find((item) => 'cron' in item.changes)!;
    expect(cronEdit.changes.cron).toEqual({ before: '*/5 * * * *', after: '*/10 * * * *' });
    const restored = await call('POST', `${heartbeat}/history/${cronEdit.id}/restore`);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(await bossSchedule('jobs-heartbeat')).toEqual([
      { name: 'default', cron: '*/5 * * * *', timezone: 'UTC' },
    ]);
  });

  it('runs a schedule now: its job is enqueued, marked with the schedule', async () => {
    const response = await call('POST', `${base}/actions/run-now`, { ids: ['jobs-heartbeat'] });
    expect(response.json()).toMatchObject({ kind: 'done', done: 1, failed: 0 });
    const { rows } = await h.t.database.pool.query(
      `SELECT name, data FROM pgboss.job WHERE data->>'schedule' = 'jobs-heartbeat'`,
    );
    expect(rows).toEqual([
      {
        name: 'default',
        data: { job: 'jobs.heartbeat', payload: {}, schedule: 'jobs-heartbeat' },
      },
    ]);
  });

  it('deletes schedules made through the API (from pg-boss too), never built-in ones', async () => {
    const builtIn = await call('DELETE', heartbeat);
    expect(builtIn.statusCode).toBe(409);
    const created = await h.t.app.inject({
      method: 'POST',
      url: '/api/jobs/schedules',
      headers: await h.as(h.staff),
      payload: { name: 'nightly-noop', cron: '0 3 * * *', job: 'jobs.noop' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(await bossSchedule('nightly-noop')).toHaveLength(1);
    expect((await call('DELETE', `${base}/nightly-noop`)).statusCode).toBe(204);
    expect(await bossSchedule('nightly-noop')).toEqual([]);
    const { rows } = await h.t.database.pool.query(
      `SELECT 1 FROM job_schedules WHERE name = 'nightly-noop'`,
    );
    expect(rows).toEqual([]);
  });
});
