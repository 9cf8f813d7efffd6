import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';

// The audit log in the generic admin: every admin write is found by the request that made it.

let t: TestApp;
let admin: TestUser;
const base = '/api/v1/admin/resources/audit-events';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createUser(t, { role: 'admin' });
});
afterAll(async () => {
  await t?.close();
});

describe('audit events in the admin', () => {
  it('filters by request id, actor and action, and cannot be written', async () => {
    const user = await createUser(t);
    const headers = await loginAs(t, admin);
    const change = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/resources/users/${user.id}`,
      headers,
      payload: { role: 'staff' },
    });
    expect(change.statusCode, change.body).toBe(200);
    // The engine records the request id in the event's data; the column is derived from it.
    const { rows } = await t.database.pool.query<{ request_id: string }>(
      `SELECT request_id FROM audit_events WHERE action = 'admin.users.updated'`,
    );
    const id = rows[0]!.request_id;
    expect(id).toBeTruthy();
    const filters = encodeURIComponent(
      JSON.stringify({ requestId: id, actorId: admin.id, action: 'admin.users.updated' }),
    );
    const list = await t.app.inject({ method: 'GET', url: `${base}?filters=${filters}`, headers });
    expect(list.statusCode, list.body).toBe(200);
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ actorId: admin.id, target: `users:${user.id}` });
    const detail = await t.app.inject({ method: 'GET', url: `${base}/${items[0].id}`, headers });
    expect(detail.json().record.data.changes.role).toEqual({ before: 'user', after: 'staff' });

    const remove = await t.app.inject({
      method: 'DELETE',
      url: `${base}/${items[0].id}`,
      headers,
    });
    expect(remove.statusCode).toBe(403);
  });
});
