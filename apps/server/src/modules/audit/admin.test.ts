import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';
import { recordAudit } from './service.js';

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

describe('reading the audit log in the admin', () => {
  let keys: string[];
  let headers: Record<string, string>;
  const list = async (query: string, as = headers) =>
    t.app.inject({ method: 'GET', url: `${base}?${query}`, headers: as });
  const filters = (value: object) => `filters=${encodeURIComponent(JSON.stringify(value))}`;
  const created = filters({ action: 'admin.api-keys.created' });

  beforeAll(async () => {
    headers = await loginAs(t, admin);
    await recordAudit(t.app.db, { action: 'cli.ran', actor: 'cli' });
    keys = [];
    for (const name of ['one', 'two', 'three']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/resources/api-keys',
        headers,
        payload: { name, scopes: ['leads:read'] },
      });
      expect(response.statusCode, response.body).toBe(201);
      keys.push(response.json().record.id);
    }
  });

  it('pages through the events newest first, with the count and who acted', async () => {
    const first = (await list(`${created}&limit=2`)).json();
    expect(first.count).toEqual({ value: 3, exact: true });
    const targets = (page: { items: { target: string }[] }) => page.items.map((e) => e.target);
    expect(targets(first)).toEqual([`api-keys:${keys[2]}`, `api-keys:${keys[1]}`]);
    expect(first.items[0]).toMatchObject({ actorId: admin.id, ip: expect.any(String) });
    const cursor = encodeURIComponent(first.nextCursor);
    const second = (await list(`${created}&limit=2&cursor=${cursor}`)).json();
    expect(targets(second)).toEqual([`api-keys:${keys[0]}`]);
  });

  it('filters by actor: a user by id, others by the kind stored', async () => {
    const byUser = (
      await list(`${filters({ actorId: admin.id, action: 'admin.api-keys.created' })}`)
    ).json();
    expect(byUser.count.value).toBe(3);
    const byCli = (await list(filters({ actor: 'cli' }))).json();
    expect(byCli.count.value).toBe(1);
    expect(byCli.items[0]).toMatchObject({ action: 'cli.ran', actorId: null });
  });

  it('filters by time: from (inclusive) and to (exclusive)', async () => {
    const all = (await list('limit=200')).json();
    const times = all.items.map((e: { createdAt: string }) => e.createdAt);
    const oldest = times.at(-1)!;
    const future = new Date(Date.parse(times[0]!) + 60_000).toISOString();
    const within = async (range: object) =>
      (await list(filters({ createdAt: range }))).json().count.value;
    expect(await within({ from: oldest })).toBe(all.count.value);
    expect(await within({ to: oldest })).toBe(0);
    expect(await within({ from: future })).toBe(0);
    expect(await within({ from: oldest, to: future })).toBe(all.count.value);
    const bad = await list(filters({ createdAt: { from: 'yesterday' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path.slice(0, 2)).toEqual(['filters', 'createdAt']);
  });

  it('answers bad paging with field errors and refuses anyone but admins', async () => {
    for (const limit of ['0', '201', 'x']) {
      const bad = await list(`limit=${limit}`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details[0].path).toEqual(['limit']);
    }
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    expect((await list('', staff)).statusCode).toBe(403);
    expect((await t.app.inject({ url: base })).statusCode).toBe(401);
  });
});
