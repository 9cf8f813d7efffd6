import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import { users } from '../accounts/schema.js';
import { leadInput } from './test-support.js';

let t: TestApp;
let headers: Record<string, string>;
let staff: { id: string; email: string };
let admin: { id: string };
let plainUser: { id: string };
let disabledStaff: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  staff = await createUser(t, { role: 'staff', displayName: 'Sam Seller' });
  admin = await createUser(t, { role: 'admin' });
  plainUser = await createUser(t, { role: 'user' });
  disabledStaff = await createUser(t, { role: 'staff' });
  await t.app.db.update(users).set({ isActive: false }).where(eq(users.id, disabledStaff.id));
  headers = await loginAs(t, staff);
});
afterAll(() => t.close());

const create = (body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/leads', headers, payload: body });

describe('lead owners', () => {
  it('lists active staff and admins only, with a name to show', async () => {
    const response = await t.app.inject({ url: '/api/v1/leads/owners', headers });
    expect(response.statusCode).toBe(200);
    const ids = response.json().results.map((owner: { id: string }) => owner.id);
    expect(ids).toEqual(expect.arrayContaining([staff.id, admin.id]));
    expect(ids).not.toContain(plainUser.id);
    expect(ids).not.toContain(disabledStaff.id);
    expect(response.json().results).toContainEqual({
      id: staff.id,
      name: 'Sam Seller',
      email: staff.email,
    });
  });

  it('assigns an owner, tags and a value on create, and filters by owner', async () => {
    const response = await create(
      leadInput({
        email: 'owned@example.com',
        owner_id: staff.id,
        tags: ['vip', 'q4'],
        value: 1200.5,
      }),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      owner_id: staff.id,
      tags: ['vip', 'q4'],
      value: 1200.5,
    });
    const mine = await t.app.inject({ url: `/api/v1/leads?owner_id=${staff.id}`, headers });
    expect(mine.json().results.map((lead: { email: string }) => lead.email)).toEqual([
      'owned@example.com',
    ]);
  });

  it.each([
    ['a plain user', () => plainUser.id],
    ['a disabled staff member', () => disabledStaff.id],
    ['an unknown id', () => '00000000-0000-4000-8000-000000000000'],
  ])('refuses %s as owner with a field error, on create and on update', async (_label, id) => {
    const created = await create(leadInput({ email: 'unowned@example.com', owner_id: id() }));
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details).toEqual([
      expect.objectContaining({ path: ['owner_id'], code: 'unknown_owner' }),
    ]);

    const lead = (await create(leadInput({ email: `ok-${Math.random()}@example.com` }))).json();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers,
      payload: { owner_id: id() },
    });
    expect(patched.statusCode).toBe(400);
    const detail = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers });
    expect(detail.json().owner_id).toBeNull();
  });

  it('unassigns with owner_id null', async () => {
    const lead = (
      await create(leadInput({ email: 'reassign@example.com', owner_id: admin.id }))
    ).json();
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers,
      payload: { owner_id: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().owner_id).toBeNull();
  });
});
