import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';

// Finding accounts in the generic admin, as the old users page did: newest first with their
// state, paged, searched by email or name (wildcards taken literally), filtered by role.

let t: TestApp;
let admin: TestUser;
const base = '/api/v1/admin/resources/users';

beforeAll(async () => {
  t = await createTestApp();
  // One after the other: the order of creation is the order of the list.
  admin = await createUser(t, { role: 'admin', email: 'root@users-list.test' });
  await createUser(t, { email: 'grace@users-list.test', displayName: 'Grace Hopper' });
  await createUser(t, { email: 'alan@users-list.test', role: 'staff' });
  await createUser(t, { email: 'per_cent%@users-list.test' });
});
afterAll(async () => {
  await t?.close();
});

async function list(query: string, who: TestUser = admin) {
  return t.app.inject({ url: `${base}?${query}`, headers: await loginAs(t, who) });
}

const emails = (body: { items: { email: string }[] }) => body.items.map((user) => user.email);
const filters = (value: object) => `filters=${encodeURIComponent(JSON.stringify(value))}`;

describe('the users list in the admin', () => {
  it('lists users newest first with their account state, and pages', async () => {
    const all = (await list('q=users-list.test&columns=email,isActive,lastLoginAt')).json();
    expect(all.count).toEqual({ value: 4, exact: true });
    expect(all.items[0]).toMatchObject({
      email: 'per_cent%@users-list.test',
      isActive: true,
      lastLoginAt: null,
    });
    const first = (await list('q=users-list.test&limit=2')).json();
    expect(emails(first)).toEqual(['per_cent%@users-list.test', 'alan@users-list.test']);
    const second = (
      await list(`q=users-list.test&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json();
    expect(emails(second)).toEqual(['grace@users-list.test', 'root@users-list.test']);
    expect(second.nextCursor).toBeNull();
  });

  it('searches email and name case-insensitively, wildcards literally, and filters by role', async () => {
    expect(emails((await list('q=HOPPER')).json())).toEqual(['grace@users-list.test']);
    expect((await list('q=%25')).json().count.value).toBe(1);
    expect((await list('q=_')).json().count.value).toBe(1);
    const staff = await list(`q=users-list.test&${filters({ role: 'staff' })}`);
    expect(emails(staff.json())).toEqual(['alan@users-list.test']);
    const bad = await list(filters({ role: 'owner' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['filters', 'role']);
  });

  it('is for staff and admins only', async () => {
    const user = await createUser(t);
    expect((await list('', user)).statusCode).toBe(403);
    expect((await t.app.inject({ url: base })).statusCode).toBe(401);
  });
});
