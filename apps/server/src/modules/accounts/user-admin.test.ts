import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';
import { eq } from 'drizzle-orm';
import { users } from './schema.js';
import { assertUserChange } from './user-admin.js';
import { insertUser } from './users.js';

// The users resource's safety rules through the real admin API: who may change whom, no
// self-lock-out, and never without an active admin (also when two admins race).

let t: TestApp;
let admin: TestUser;
let staff: TestUser;
let user: TestUser;
const base = '/api/v1/admin/resources/users';

async function patch(who: TestUser, id: string, payload: Record<string, unknown>) {
  return t.app.inject({
    method: 'PATCH',
    url: `${base}/${id}`,
    headers: await loginAs(t, who),
    payload,
  });
}

async function act(who: TestUser, action: string, ids: string[]) {
  const response = await t.app.inject({
    method: 'POST',
    url: `${base}/actions/${action}`,
    headers: await loginAs(t, who),
    payload: { ids, confirm: ids.length },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as { done: number; failed: number; errors: { message: string }[] };
}

const userRow = async (id: string) =>
  (
    await t.database.pool.query<{ role: string; is_active: boolean }>(
      'SELECT role, is_active FROM users WHERE id = $1',
      [id],
    )
  ).rows[0];

const sessionCount = async (id: string) =>
  (
    await t.database.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sessions WHERE user_id = $1',
      [id],
    )
  ).rows[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  [admin, staff, user] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'staff' }),
    createUser(t, { role: 'user' }),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('users in the admin', () => {
  it('staff cannot raise their own role nor grant a role above their own', async () => {
    const own = await patch(staff, staff.id, { role: 'admin' });
    expect(own.statusCode).toBe(403);
    expect(own.json().error.code).toBe('role_above_yours');
    const other = await patch(staff, user.id, { role: 'admin' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('role_above_yours');
    expect((await userRow(user.id))?.role).toBe('user');

    await loginAs(t, user);
    const promoted = await patch(staff, user.id, { role: 'staff' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json().record.role).toBe('staff');
    // A privilege change ends the user's sessions: they sign in again under the new role.
    expect(await sessionCount(user.id)).toBe(0);
    expect((await patch(admin, user.id, { role: 'user' })).statusCode).toBe(200);
  });

  it('staff cannot change, disable or sign out an admin account', async () => {
    const disable = await patch(staff, admin.id, { isActive: false });
    expect(disable.statusCode).toBe(403);
    expect(disable.json().error.code).toBe('above_your_role');
    for (const action of ['deactivate', 'end-sessions', 'resend-verification']) {
      const result = await act(staff, action, [admin.id]);
      expect(result).toMatchObject({ done: 0, failed: 1 });
      expect(result.errors[0]!.message).toBe('Only an admin can change an admin account.');
    }
    expect((await userRow(admin.id))?.is_active).toBe(true);
    const remove = await t.app.inject({
      method: 'DELETE',
      url: `${base}/${user.id}`,
      headers: await loginAs(t, staff),
    });
    expect(remove.statusCode).toBe(403);
    // Nor one of an admin's sessions, while a user's they may end.
    await loginAs(t, user);
    const { rows } = await t.database.pool.query<{ id: string; user_id: string }>(
      'SELECT id, user_id FROM sessions WHERE user_id = ANY($1)',
      [[admin.id, user.id]],
    );
    for (const session of rows) {
      const ended = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/admin/resources/sessions/${session.id}`,
        headers: await loginAs(t, staff),
      });
      expect(ended.statusCode).toBe(session.user_id === admin.id ? 403 : 204);
    }
  });

  it('staff disable and enable ordinary accounts; that ends their sessions', async () => {
    await loginAs(t, user);
    expect((await patch(staff, user.id, { isActive: false })).statusCode).toBe(200);
    expect(await sessionCount(user.id)).toBe(0);
    expect(await act(staff, 'activate', [user.id])).toMatchObject({ done: 1 });
    expect((await userRow(user.id))?.is_active).toBe(true);
    await loginAs(t, user);
    expect(await act(staff, 'end-sessions', [user.id])).toMatchObject({ done: 1 });
    expect(await sessionCount(user.id)).toBe(0);
  });

  it('resends the verification mail to unverified accounts only', async () => {
    const unverified = await insertUser(t.app.db, { email: `new-${randomUUID()}@example.test` });
    expect(await act(staff, 'resend-verification', [unverified.id])).toMatchObject({ done: 1 });
    const verified = await act(staff, 'resend-verification', [user.id]);
    expect(verified.errors[0]!.message).toBe('This address is verified already.');
  });

  it('nobody changes their own role or disables themselves', async () => {
    const second = await createUser(t, { role: 'admin' });
    const demote = await patch(admin, admin.id, { role: 'staff' });
    expect(demote.statusCode).toBe(403);
    expect(demote.json().error.code).toBe('own_account');
    const self = await act(admin, 'deactivate', [admin.id]);
    expect(self.errors[0]!.message).toMatch(/your own/);
    expect(await act(admin, 'deactivate', [second.id])).toMatchObject({ done: 1 });
    // A disabled account's page offers "Activate" instead (and no verification mail).
    const detail = await t.app.inject({
      method: 'GET',
      url: `${base}/${second.id}`,
      headers: await loginAs(t, admin),
    });
    expect(detail.json().actions).toEqual(['activate', 'end-sessions']);
  });

  it('the last active admin cannot be demoted, disabled or deleted: 409 last_admin', async () => {
    for (const payload of [{ role: 'staff' }, { isActive: false }]) {
      const response = await patch(admin, admin.id, payload);
      expect(response.statusCode).toBe(409);
      expect(response.json().error.code).toBe('last_admin');
    }
    const remove = await t.app.inject({
      method: 'DELETE',
      url: `${base}/${admin.id}`,
      headers: await loginAs(t, admin),
    });
    expect(remove.statusCode).toBe(409);
    expect(remove.json().error.code).toBe('last_admin');
    // Whoever asks (an admin whose own account is gone, say): the rule is about the table.
    await expect(
      t.app.db.transaction(async (tx) => {
        await assertUserChange(
          tx,
          { userId: randomUUID(), role: 'admin' },
          { ...admin, role: 'admin', isActive: true },
          { isActive: false },
        );
      }),
    ).rejects.toMatchObject({ statusCode: 409, code: 'last_admin' });
    expect(await userRow(admin.id)).toEqual({ role: 'admin', is_active: true });
  });

  it('two admins demoting each other at once: one wins, the other gets 409', async () => {
    const other = await createUser(t, { role: 'admin' });
    const answers = await Promise.all([
      patch(admin, other.id, { role: 'staff' }),
      patch(other, admin.id, { role: 'staff' }),
    ]);
    // The loser is refused either by the rule (409) or, when the winner committed before it
    // signed in, as the staff member it has become (403). Never both, never a 500.
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([403, 409]).toContain(codes[1]);
    const roles = [(await userRow(admin.id))?.role, (await userRow(other.id))?.role].sort();
    expect(roles).toEqual(['admin', 'staff']);
    if ((await userRow(admin.id))?.role !== 'admin') admin = other;
  });

  it('the last-admin check waits for a concurrent one and sees its change', async () => {
    const other = await createUser(t, { role: 'admin' });
    const advisory = async (granted: boolean) =>
      (
        await t.database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted = $1`,
          [granted],
        )
      ).rows[0]!.n;
    const until = async (check: () => Promise<boolean>) => {
      // Up to 10 s: a loaded CI machine takes its time to reach the lock.
      for (let i = 0; i < 1000 && !(await check()); i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = t.app.db.transaction(async (tx) => {
      await assertUserChange(tx, { userId: admin.id, role: 'admin' }, other, { role: 'staff' });
      await tx.update(users).set({ role: 'staff' }).where(eq(users.id, other.id));
      await gate;
    });
    await until(async () => (await advisory(true)) > 0);
    const second = t.app.db.transaction((tx) =>
      assertUserChange(tx, { userId: other.id, role: 'admin' }, admin, { role: 'staff' }),
    );
    // Watched from now on: it may fail the moment `first` commits, before `await first` returns.
    const refused = expect(second).rejects.toMatchObject({ statusCode: 409, code: 'last_admin' });
    await until(async () => (await advisory(false)) > 0);
    release();
    await first;
    await refused;
  });

  it('restores an old role from the history, under the same rules', async () => {
    const latestEntry = async (id: string) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `${base}/${id}/history`,
          headers: await loginAs(t, admin),
        })
      ).json().items[0] as { id: string };
    const restore = async (who: TestUser, id: string) =>
      t.app.inject({
        method: 'POST',
        url: `${base}/${id}/history/${(await latestEntry(id)).id}/restore`,
        headers: await loginAs(t, who),
      });
    const person = await createUser(t);
    expect((await patch(admin, person.id, { role: 'staff' })).statusCode).toBe(200);
    const restored = await restore(admin, person.id);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().record.role).toBe('user');
    // An admin's old role, put back by staff: refused like any change to an admin account.
    const boss = await createUser(t, { role: 'staff' });
    expect((await patch(admin, boss.id, { role: 'admin' })).statusCode).toBe(200);
    const refused = await restore(staff, boss.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('above_your_role');
  });

  it('admins delete accounts', async () => {
    const doomed = await createUser(t);
    const response = await t.app.inject({
      method: 'DELETE',
      url: `${base}/${doomed.id}`,
      headers: await loginAs(t, admin),
    });
    expect(response.statusCode, response.body).toBe(204);
    expect(await userRow(doomed.id)).toBeUndefined();
  });
});
