import type { AdminDetail, AdminHistory, AdminList } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTestApp, type AdminTestApp } from '../../../test/admin-app.js';
import { recordLatestScan } from './targets.js';

// Scan targets and scans in the generic admin: the list with the latest grade, the verified /
// schedule / owner filters, "rescan" through the scans service (a real scan row and job, the
// cooldown), "mark verified", edits through the module's schema, soft delete and restore.

let h: AdminTestApp;
const base = '/api/v1/admin/resources';
const ids: Record<string, string> = {};

const call: AdminTestApp['call'] = (...args) => h.call(...args);

const list = async (resource: string, query: Record<string, string> = {}) => {
  const response = await call('GET', `${base}/${resource}?${new URLSearchParams(query)}`, h.staff);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as AdminList;
};

const act = (action: string, id: string, who = h.staff) =>
  call('POST', `${base}/scan-targets/actions/${action}`, who, { ids: [id] });

const query = async <T extends Record<string, unknown>>(text: string, values: unknown[] = []) =>
  (await h.t.database.pool.query<T>(text, values)).rows;

beforeAll(async () => {
  h = await adminTestApp();
  const rows = await query<{ id: string; name: string }>(
    `INSERT INTO scan_targets (url, name, owner_id, schedule, verification_token, verified_at,
                               verification_method, created_at)
     VALUES ('https://alpha.test/', 'Alpha', $1, 'daily', 't1', now(), 'dns', '2026-01-01'),
            ('https://beta.test/', 'Beta', $2, 'off', 't2', NULL, NULL, '2026-01-02'),
            ('https://gamma.test/', 'Gamma', $2, 'weekly', 't3', NULL, NULL, '2026-01-03')
     RETURNING id, name`,
    [h.staff.id, h.user.id],
  );
  for (const row of rows) ids[row.name] = row.id;
  await query(
    `INSERT INTO scans (target_id, url, state, trigger, grade, score, created_at, finished_at)
     VALUES ($1, 'https://alpha.test/', 'finished', 'schedule', 'B', 70, now() - interval '2 days',
             now() - interval '2 days'),
            ($1, 'https://alpha.test/', 'finished', 'schedule', 'A+', 105, now() - interval '1 day',
             now() - interval '1 day'),
            ($1, 'https://alpha.test/', 'failed', 'manual', NULL, NULL, now() - interval '1 hour',
             now() - interval '1 hour')`,
    [ids.Alpha],
  );
  await recordLatestScan(h.t.app.db, ids.Alpha!);
});
afterAll(() => h?.t.close());

describe('scan targets in the admin', () => {
  it('lists targets with the latest finished grade, filtered by verified, schedule and owner', async () => {
    const all = await list('scan-targets');
    expect(all.items.map((item) => item.name)).toEqual(['Gamma', 'Beta', 'Alpha']);
    expect(all.items[2]).toMatchObject({
      url: 'https://alpha.test/',
      ownerId: h.staff.id,
      verified: true,
      schedule: 'daily',
      // The failed scan after it does not count: the latest *finished* one does.
      lastGrade: 'A+',
    });
    const verified = await list('scan-targets', { filters: JSON.stringify({ verified: true }) });
    expect(verified.items.map((item) => item.name)).toEqual(['Alpha']);
    const weekly = await list('scan-targets', { filters: JSON.stringify({ schedule: 'weekly' }) });
    expect(weekly.items.map((item) => item.name)).toEqual(['Gamma']);
    const owned = await list('scan-targets', { filters: JSON.stringify({ ownerId: h.user.id }) });
    expect(owned.items).toHaveLength(2);
    const graded = await list('scan-targets', { filters: JSON.stringify({ lastGrade: 'A+' }) });
    expect(graded.items).toHaveLength(1);
    expect((await list('scan-targets', { q: 'beta.test' })).items).toHaveLength(1);
  });

  it('shows the target’s scans inline, and scans filtered by state and grade', async () => {
    const detail = (await call('GET', `${base}/scan-targets/${ids.Alpha}`, h.staff)).json();
    const inline = (detail as AdminDetail).inlines.find((entry) => entry.name === 'scans')!;
    expect(inline.count).toEqual({ value: 3, exact: true });
    expect(inline.items.map((item) => item.state)).toEqual(['failed', 'finished', 'finished']);
    const finished = await list('scans', { filters: JSON.stringify({ state: 'finished' }) });
    expect(finished.items).toHaveLength(2);
    const top = await list('scans', { filters: JSON.stringify({ grade: ['A+', 'A'] }) });
    expect(top.items).toEqual([expect.objectContaining({ grade: 'A+', score: 105 })]);
    const bad = await call(
      'GET',
      `${base}/scans?filters=${encodeURIComponent('{"grade":"Z"}')}`,
      h.staff,
    );
    expect(bad.statusCode).toBe(400);
    const write = await call('PATCH', `${base}/scans/${top.items[0]!.id}`, h.admin, { grade: 'F' });
    expect(write.statusCode).toBe(403);
  });

  it('rescans through the scans service: a scan row, its job, then the cooldown', async () => {
    const response = await act('rescan', ids.Beta!);
    expect(response.json()).toMatchObject({ kind: 'done', done: 1, failed: 0 });
    const [scan] = await query<{ id: string; state: string; job_id: string; requested_by: string }>(
      'SELECT id, state, job_id, requested_by FROM scans WHERE target_id = $1',
      [ids.Beta],
    );
    expect(scan).toMatchObject({ state: 'pending', requested_by: h.staff.id });
    const [job] = await query<{ name: string; data: { job: string; payload: { scanId: string } } }>(
      'SELECT name, data FROM pgboss.job WHERE id = $1',
      [scan!.job_id],
    );
    expect(job).toMatchObject({
      name: 'scans',
      data: { job: 'scans.run', payload: { scanId: scan!.id } },
    });

    // One scan at a time: the queued one is the answer, not a second scan.
    const again = (await act('rescan', ids.Beta!)).json();
    expect(again).toMatchObject({ done: 0, failed: 1 });
    expect(again.errors[0].message).toBe('A scan of this target is already pending.');
    // Once it is done, the 60 s cooldown still holds.
    await query(`UPDATE scans SET state = 'finished', finished_at = now() WHERE id = $1`, [
      scan!.id,
    ]);
    const cooling = (await act('rescan', ids.Beta!)).json();
    expect(cooling.failed).toBe(1);
    expect(cooling.errors[0].message).toMatch(/scan it again in \d+ s/);
    const count = await query<{ n: number }>(
      'SELECT count(*)::int AS n FROM scans WHERE target_id = $1',
      [ids.Beta],
    );
    expect(count[0]!.n).toBe(1);
  });

  it('marks a target verified (staff), which starts its schedule', async () => {
    // The object's page offers it while the target is unverified, and no longer after.
    const offered = async () =>
      ((await call('GET', `${base}/scan-targets/${ids.Gamma}`, h.staff)).json() as AdminDetail)
        .actions;
    expect(await offered()).toEqual(['rescan', 'mark-verified']);
    // Its page in the web app, linked from the admin's ("view on site").
    expect(
      ((await call('GET', `${base}/scan-targets/${ids.Gamma}`, h.staff)).json() as AdminDetail)
        .siteUrl,
    ).toBe(`/scans/targets/${ids.Gamma}`);
    expect((await act('mark-verified', ids.Gamma!, h.user)).statusCode).toBe(403);
    const response = await act('mark-verified', ids.Gamma!);
    expect(response.json()).toMatchObject({ done: 1, failed: 0 });
    const [row] = await query<{
      verified: boolean;
      verification_method: string;
      next_scan_at: Date;
    }>('SELECT verified, verification_method, next_scan_at FROM scan_targets WHERE id = $1', [
      ids.Gamma,
    ]);
    expect(row).toMatchObject({ verified: true, verification_method: 'staff' });
    expect(row!.next_scan_at).not.toBeNull();
    expect(await offered()).toEqual(['rescan']);
    const history = (
      await call('GET', `${base}/scan-targets/${ids.Gamma}/history`, h.staff)
    ).json();
    expect((history as AdminHistory).items[0]).toMatchObject({
      kind: 'action:mark-verified',
      changes: { verified: { before: false, after: true } },
    });
  });

  it('edits through the scans schema: field errors, and a new host withdraws the proof', async () => {
    const url = `${base}/scan-targets/${ids.Alpha}`;
    const bad = await call('PATCH', url, h.staff, { scheduleTime: '25:00', timezone: 'Mars/Base' });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .error.details.map((d: { path: string[] }) => d.path[0])
        .sort(),
    ).toEqual(['scheduleTime', 'timezone']);
    expect((await call('PATCH', url, h.staff, { verified: false })).statusCode).toBe(403);
    const moved = await call('PATCH', url, h.staff, { url: 'https://elsewhere.test/' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().record).toMatchObject({
      verified: false,
      nextScanAt: null,
      schedule: 'daily',
    });
    // The API's PATCH shares the schema: what is not sent is left alone there too.
    const api = await h.t.app.inject({
      method: 'PATCH',
      url: `/api/v1/scans/targets/${ids.Alpha}`,
      headers: await h.as(h.staff),
      payload: { name: 'Alpha site' },
    });
    expect(api.statusCode, api.body).toBe(200);
    expect(api.json()).toMatchObject({ name: 'Alpha site', schedule: 'daily', tags: [] });
  });

  it('soft-deletes (admins) and restores, the schedule starting again', async () => {
    const url = `${base}/scan-targets/${ids.Gamma}`;
    expect((await call('DELETE', url, h.staff)).statusCode).toBe(403);
    expect((await call('DELETE', url, h.admin)).statusCode).toBe(204);
    const [gone] = await query<{ deleted_at: Date | null; next_scan_at: Date | null }>(
      'SELECT deleted_at, next_scan_at FROM scan_targets WHERE id = $1',
      [ids.Gamma],
    );
    expect(gone!.deleted_at).not.toBeNull();
    expect(gone!.next_scan_at).toBeNull();
    const history = (await call('GET', `${url}/history`, h.staff)).json() as AdminHistory;
    const deletion = history.items.find((item) => item.kind === 'deleted')!;
    const restored = await call('POST', `${url}/history/${deletion.id}/restore`, h.staff);
    expect(restored.statusCode, restored.body).toBe(200);
    const [back] = await query<{ deleted_at: Date | null; next_scan_at: Date | null }>(
      'SELECT deleted_at, next_scan_at FROM scan_targets WHERE id = $1',
      [ids.Gamma],
    );
    expect(back!.deleted_at).toBeNull();
    expect(back!.next_scan_at).not.toBeNull();
  });
});
