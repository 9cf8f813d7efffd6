import type { AdminActionRun } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker } from '../../../test/worker.js';
import { adminHarness, seedLeads, type AdminHarness } from '../../admin/test-fixture.js';
import type { JobsRuntime } from '../jobs/runtime.js';

// Bulk actions: count preview, typed confirmation of destructive ones, inline runs with per-row
// errors, and runs over 200 rows as the `admin.action-run` job on a real worker, with progress.

let h: AdminHarness;
let worker: JobsRuntime;
const url = '/api/v1/admin/resources/fixture-leads/actions/mark-lost';

async function act(payload: Record<string, unknown>, who = h.staff) {
  return h.t.app.inject({ method: 'POST', url, headers: await h.as(who), payload });
}

const lostCount = async () =>
  (
    await h.t.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM leads WHERE status = 'lost'`,
    )
  ).rows[0]!.n;

beforeAll(async () => {
  h = await adminHarness();
  await seedLeads(h.t, 500, 'Bulk');
  worker = await startTestWorker(h.t, 'default:2');
});
afterAll(async () => {
  await worker?.stop(1000);
  await h?.t.close();
});

describe('admin actions', () => {
  const website = { all: { filters: { source: 'website', status: 'new' } } };

  it('previews the count and needs it typed to run a destructive action', async () => {
    const preview = await act({ ...website, preview: true });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json()).toEqual({ kind: 'preview', count: 50 });
    const unconfirmed = await act(website);
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.json().error.details[0]).toMatchObject({
      path: ['confirm'],
      message: 'Type 50 to confirm.',
    });
    expect((await act({ ...website, confirm: 49 })).statusCode).toBe(400);
    expect(await lostCount()).toBe(100);
  });

  it('runs small selections inline, with per-row errors and an audit event per row', async () => {
    await h.t.database.pool.query(
      `UPDATE leads SET full_name = 'Unlucky' WHERE full_name = 'Bulk 10'`,
    );
    const response = await act({ ...website, confirm: 50 });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ kind: 'done', done: 49, failed: 1 });
    expect(body.errors[0].message).toBe('Cannot lose this one.');
    expect(await lostCount()).toBe(149);
    const { rows } = await h.t.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'admin.fixture-leads.mark-lost'
         AND data->'changes'->'status'->>'after' = 'lost'`,
    );
    expect(rows[0]!.n).toBe(49);
  });

  it('refuses actions above the caller’s role, unknown actions, and bad selections', async () => {
    const touch = '/api/v1/admin/resources/fixture-leads/actions/touch';
    const staff = await h.t.app.inject({
      method: 'POST',
      url: touch,
      headers: await h.as(h.staff),
      payload: { ids: ['1'] },
    });
    expect(staff.statusCode).toBe(403);
    const unknown = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/resources/fixture-leads/actions/nope',
      headers: await h.as(h.staff),
      payload: { ids: ['1'] },
    });
    expect(unknown.statusCode).toBe(404);
    expect((await act({})).statusCode).toBe(400);
    expect((await act({ ids: ['1'], all: {} })).statusCode).toBe(400);
    expect((await act({ all: { filters: { nope: 1 } }, preview: true })).statusCode).toBe(400);
    expect((await act({ ids: ['1'], preview: true }, h.user)).statusCode).toBe(403);
  });

  it('runs big selections as a job with progress', async () => {
    const all = { all: { filters: { status: ['new', 'contacted', 'qualified'] } } };
    const preview = (await act({ ...all, preview: true })).json();
    expect(preview.count).toBe(251);
    const response = await act({ ...all, confirm: 251 });
    expect(response.statusCode).toBe(202);
    const { run } = response.json() as { run: AdminActionRun };
    expect(run).toMatchObject({ state: 'queued', total: 251, done: 0 });

    const seen: AdminActionRun[] = [];
    const deadline = Date.now() + 30_000;
    let state: AdminActionRun | undefined;
    while (Date.now() < deadline) {
      const poll = await h.t.app.inject({
        method: 'GET',
        url: `/api/v1/admin/action-runs/${run.id}`,
        headers: await h.as(h.staff),
      });
      state = poll.json() as AdminActionRun;
      seen.push(state);
      if (state.state === 'done') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // The lead the action refuses is still in the selection: it fails again, with its reason.
    expect(state).toMatchObject({ state: 'done', total: 251, done: 250, failed: 1 });
    expect(state!.errors).toEqual([{ id: expect.any(String), message: 'Cannot lose this one.' }]);
    expect(seen.some((poll) => poll.state === 'running' || poll.state === 'queued')).toBe(true);
    expect(state!.finishedAt).not.toBeNull();
    expect(await lostCount()).toBe(149 + 250);
    // Someone else's run is not there for another staff member.
    const other = await h.t.app.inject({
      method: 'GET',
      url: `/api/v1/admin/action-runs/${run.id}`,
      headers: await h.as(h.user),
    });
    expect(other.statusCode).toBe(403);
  });
});
