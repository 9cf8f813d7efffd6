import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';

describe('the users admin API', () => {
  let t: TestApp;
  let admin: TestUser;
  let headers: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await createUser(t, { role: 'admin', email: 'root@users-admin.test' });
    headers = await loginAs(t, admin);
    await createUser(t, { email: 'grace@users-admin.test', displayName: 'Grace Hopper' });
    await createUser(t, { email: 'alan@users-admin.test', role: 'staff' });
    await createUser(t, { email: 'per_cent%@users-admin.test' });
  });
  afterAll(() => t.close());

  const list = async (query: string) =>
    (await t.app.inject({ url: `/api/v1/admin/users?${query}`, headers })).json();

  it('lists users newest first with their account state, and pages', async () => {
    const all = await list('search=users-admin.test');
    expect(all.total).toBe(4);
    expect(all.items[0]).toMatchObject({
      email: 'per_cent%@users-admin.test',
      isActive: true,
      lastLoginAt: null,
    });
    const page = await list('search=users-admin.test&limit=2&offset=2');
    expect(page.items.map((u: { email: string }) => u.email)).toEqual([
      'grace@users-admin.test',
      'root@users-admin.test',
    ]);
  });

  it('searches email and name case-insensitively, wildcards literally, and filters by role', async () => {
    expect((await list('search=HOPPER')).items.map((u: { email: string }) => u.email)).toEqual([
      'grace@users-admin.test',
    ]);
    expect((await list('search=%25')).total).toBe(1);
    expect((await list('search=_')).total).toBe(1);
    const staff = await list('role=staff&search=users-admin.test');
    expect(staff.items.map((u: { email: string }) => u.email)).toEqual(['alan@users-admin.test']);
    const bad = await t.app.inject({ url: '/api/v1/admin/users?role=owner', headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['role']);
  });

  it('disables and re-enables an account, ending its sessions', async () => {
    const user = await createUser(t, {});
    const session = await loginAs(t, user);
    const url = `/api/v1/admin/users/${user.id}`;
    const disabled = await t.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { isActive: false },
    });
    expect(disabled.json()).toMatchObject({ isActive: false });
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: session })).statusCode).toBe(
      401,
    );
    const enabled = await t.app.inject({
      method: 'PATCH',
      url,
      headers,
      payload: { isActive: true },
    });
    expect(enabled.json()).toMatchObject({ isActive: true });
  });

  it('refuses to let an admin demote or disable themselves, and non-admins altogether', async () => {
    const url = `/api/v1/admin/users/${admin.id}`;
    for (const payload of [{ role: 'staff' }, { isActive: false }]) {
      const refused = await t.app.inject({ method: 'PATCH', url, headers, payload });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.message).toMatch(/your own/);
    }
    const me = await t.app.inject({ url: '/api/v1/users/me', headers });
    expect(me.json().role).toBe('admin');
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    expect((await t.app.inject({ url: '/api/v1/admin/users', headers: staff })).statusCode).toBe(
      403,
    );
  });
});
