import type { AdminDetail, AdminHistory, AdminWriteResult } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../test/auth.js';
import { adminHarness, type AdminHarness } from './test-fixture.js';

// Writes through the generic admin: the resource's own schema validates (400 with messages under
// the admin field names, nothing written), field permissions (403 naming the fields), hooks,
// audit events with actor, request id and per-field diff, history without unreadable fields,
// restore of an edit and of a soft delete.

let h: AdminHarness;
const base = '/api/v1/admin/resources/fixture-leads';

async function call(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  who: TestUser,
  payload?: unknown,
) {
  return h.t.app.inject({
    method,
    url,
    headers: await h.as(who),
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

async function leadCount(): Promise<number> {
  const { rows } = await h.t.database.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM leads',
  );
  return rows[0]!.n;
}

beforeAll(async () => {
  h = await adminHarness();
});
afterAll(() => h?.t.close());

describe('admin writes', () => {
  it('creates through the schema, with defaults, and audits the diff', async () => {
    const response = await call('POST', base, h.staff, {
      fullName: '  Ada Lovelace ',
      source: 'event',
    });
    expect(response.statusCode).toBe(201);
    const { record } = response.json() as AdminWriteResult;
    expect(record).toMatchObject({ fullName: 'Ada Lovelace', status: 'new', source: 'event' });
    const { rows } = await h.t.database.pool.query(
      `SELECT actor_id, action, target, data FROM audit_events WHERE target = $1`,
      [`fixture-leads:${record.id}`],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].action).toBe('admin.fixture-leads.created');
    expect(rows[0].actor_id).toBe(h.staff.id);
    expect(rows[0].data.requestId).toEqual(expect.any(String));
    expect(rows[0].data.changes.fullName).toEqual({ before: null, after: 'Ada Lovelace' });
    expect(rows[0].data.changes).not.toHaveProperty('notes');
  });

  it('refuses invalid input with field messages and writes nothing', async () => {
    const before = await leadCount();
    const response = await call('POST', base, h.staff, { fullName: '', status: 'sideways' });
    expect(response.statusCode).toBe(400);
    const paths = (response.json() as { error: { details: { path: string[] }[] } }).error.details
      .map((detail) => detail.path[0])
      .sort();
    // Reported under the admin's field names, not the schema's (`full_name`).
    expect(paths).toEqual(['fullName', 'status']);
    const unknown = await call('POST', base, h.staff, { fullName: 'X', bogus: 1 });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].path).toEqual(['bogus']);
    const hooked = await call('POST', base, h.staff, { fullName: 'Refused' });
    expect(hooked.statusCode).toBe(409);
    expect(await leadCount()).toBe(before);
  });

  it('applies field permissions: staff may not set email or value, admins may', async () => {
    const refused = await call('POST', base, h.staff, {
      fullName: 'Grace',
      email: 'grace@example.test',
      value: 5,
    });
    expect(refused.statusCode).toBe(403);
    expect(
      (refused.json() as { error: { details: { path: string[] }[] } }).error.details
        .map((detail) => detail.path[0])
        .sort(),
    ).toEqual(['email', 'value']);
    // Hidden and read-only fields are not writable by anyone.
    const hidden = await call('POST', base, h.admin, { fullName: 'Grace', notes: 'x' });
    expect(hidden.statusCode).toBe(400);
    const readonly = await call('POST', base, h.admin, { fullName: 'Grace', ownerId: 'x' });
    expect(readonly.statusCode).toBe(403);
    const allowed = await call('POST', base, h.admin, {
      fullName: 'Grace',
      email: 'grace@example.test',
      value: 5,
    });
    expect(allowed.statusCode).toBe(201);
  });

  it('records edits in the history and restores an old value', async () => {
    const created = (
      await call('POST', base, h.admin, { fullName: 'Alan', value: 10, notes: undefined })
    ).json() as AdminWriteResult;
    const url = `${base}/${created.record.id}`;
    const edited = await call('PATCH', url, h.staff, { fullName: 'Alan Turing', status: 'lost' });
    expect(edited.statusCode).toBe(200);
    expect((edited.json() as AdminWriteResult).record).not.toHaveProperty('value');
    await call('PATCH', url, h.admin, { value: 20 });

    const staffHistory = (await call('GET', `${url}/history`, h.staff)).json() as AdminHistory;
    expect(staffHistory.items.map((item) => item.kind)).toEqual(['updated', 'updated', 'created']);
    const [valueEdit, nameEdit] = staffHistory.items;
    // The staff member may not read `value`: its change is left out.
    expect(valueEdit!.changes).toEqual({});
    expect(nameEdit!.changes).toMatchObject({
      fullName: { before: 'Alan', after: 'Alan Turing' },
      status: { before: 'new', after: 'lost' },
    });
    expect(nameEdit!.actorId).toBe(h.staff.id);
    // Named as staff know the person, not by the id alone.
    expect(nameEdit!.actorName).toBe(h.staff.displayName || h.staff.email);
    expect(nameEdit!.restorable).toBe(true);
    expect(valueEdit!.restorable).toBe(false);
    const adminHistory = (await call('GET', `${url}/history`, h.admin)).json() as AdminHistory;
    expect(adminHistory.items[0]!.changes).toEqual({ value: { before: 10, after: 20 } });

    const restored = await call('POST', `${url}/history/${nameEdit!.id}/restore`, h.staff);
    expect(restored.statusCode).toBe(200);
    expect((restored.json() as AdminWriteResult).record).toMatchObject({
      fullName: 'Alan',
      status: 'new',
    });
    const after = (await call('GET', `${url}/history`, h.staff)).json() as AdminHistory;
    expect(after.items[0]!.kind).toBe('restored');
    // Unreadable changes cannot be restored by whoever may not read them.
    expect(
      (await call('POST', `${url}/history/${valueEdit!.id}/restore`, h.staff)).statusCode,
    ).toBe(403);
  });

  it('soft-deletes (admins only), keeps the row, and restores it from the history', async () => {
    const created = (await call('POST', base, h.staff, { fullName: 'Doomed' })).json();
    const url = `${base}/${created.record.id}`;
    expect((await call('DELETE', url, h.staff)).statusCode).toBe(403);
    expect((await call('DELETE', url, h.admin)).statusCode).toBe(204);
    const { rows } = await h.t.database.pool.query('SELECT deleted_at FROM leads WHERE id = $1', [
      created.record.id,
    ]);
    expect(rows[0].deleted_at).not.toBeNull();
    expect((await call('PATCH', url, h.staff, { fullName: 'x' })).statusCode).toBe(404);
    const detail = (await call('GET', url, h.staff)).json() as AdminDetail;
    expect(detail.deleted).toBe(true);
    const history = (await call('GET', `${url}/history`, h.staff)).json() as AdminHistory;
    const deletion = history.items.find((item) => item.kind === 'deleted')!;
    expect(deletion.restorable).toBe(true);
    expect((await call('POST', `${url}/history/${deletion.id}/restore`, h.staff)).statusCode).toBe(
      200,
    );
    expect(((await call('GET', url, h.staff)).json() as AdminDetail).deleted).toBe(false);
  });

  it('shows an object with its inlines, and never its hidden fields', async () => {
    const created = (
      await call('POST', base, h.admin, {
        fullName: 'Inline',
        notes: undefined,
      })
    ).json() as AdminWriteResult;
    await h.t.database.pool.query(`UPDATE leads SET notes = 'SECRET-NOTE' WHERE id = $1;`, [
      created.record.id,
    ]);
    await h.t.database.pool.query(
      `INSERT INTO lead_activities (lead_id, kind, message) VALUES ($1, 'note', 'one'), ($1, 'note', 'two')`,
      [created.record.id],
    );
    const detail = (
      await call('GET', `${base}/${created.record.id}`, h.staff)
    ).json() as AdminDetail;
    expect(detail.record.fullName).toBe('Inline');
    expect(detail.inlines[0]).toMatchObject({
      name: 'activities',
      count: { value: 2, exact: true },
    });
    expect(detail.inlines[0]!.items.map((item) => item.message).sort()).toEqual(['one', 'two']);
    expect(JSON.stringify(detail)).not.toContain('SECRET-NOTE');
    expect(detail.record).not.toHaveProperty('value');
    expect((await call('GET', `${base}/999999999`, h.staff)).statusCode).toBe(404);
    expect((await call('GET', `${base}/not-an-id`, h.staff)).statusCode).toBe(404);
  });
});
