import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import {
  createApiKey,
  createApiToken,
  createUser,
  loginAs,
  type TestUser,
} from '../../../test/auth.js';
import { waitForMailTo } from '../../../test/mail.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';
import { insertUser } from './users.js';

// Sessions, API tokens and keys in the generic admin do what the account pages did: a key's
// secret is shown once, revocations apply at once, sessions end by their public id.

let t: TestApp;
let worker: JobsRuntime;
let admin: TestUser;
let user: TestUser;
const base = '/api/v1/admin/resources';

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) {
  return t.app.inject({ method, url, headers: await loginAs(t, admin), payload });
}

beforeAll(async () => {
  t = await createTestApp();
  worker = await startTestWorker(t, 'mail:1');
  [admin, user] = await Promise.all([createUser(t, { role: 'admin' }), createUser(t)]);
});
afterAll(async () => {
  await worker?.stop(1000);
  await t?.close();
});

describe('accounts in the admin', () => {
  it('creates an API key through the service: the key shown once, only its hash stored', async () => {
    const created = await call('POST', `${base}/api-keys`, {
      name: 'Website form',
      scopes: ['leads:write'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { record, secrets } = created.json();
    expect(secrets.key).toMatch(/^bsk_/);
    expect(record).not.toHaveProperty('keyHash');
    expect(record.last4).toBe(secrets.key.slice(-4));
    const detail = await call('GET', `${base}/api-keys/${record.id}`);
    expect(detail.body).not.toContain(secrets.key);
    const history = await call('GET', `${base}/api-keys/${record.id}/history`);
    expect(history.body).not.toContain(secrets.key);
    const list = await call('GET', `${base}/api-keys`);
    expect(list.json().items.map((key: { id: string }) => key.id)).toContain(record.id);
    expect(list.body).not.toContain(secrets.key);
    expect(record.expiresAt).toBeNull();
    // The module's own schema validates: bad scopes are a field error.
    const bad = await call('POST', `${base}/api-keys`, { name: 'x', scopes: ['nope'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path[0]).toBe('scopes');
  });

  it('makes keys that expire: a future instant within 3650 days, refused once past', async () => {
    const day = 24 * 60 * 60 * 1000;
    const create = (expiresAt: unknown) =>
      call('POST', `${base}/api-keys`, { name: 'expiring', scopes: ['leads:write'], expiresAt });
    const inAWeek = new Date(Date.now() + 7 * day).toISOString();
    const created = await create(inAWeek);
    expect(created.statusCode, created.body).toBe(201);
    expect(Date.parse(created.json().record.expiresAt)).toBe(Date.parse(inAWeek));
    for (const [value, message] of [
      [new Date(Date.now() - 60_000).toISOString(), /future/],
      [new Date(Date.now() + 3651 * day).toISOString(), /3650 days/],
      ['next week', /./],
      [7, /./],
    ] as const) {
      const refused = await create(value);
      expect(refused.statusCode, String(value)).toBe(400);
      const [detail] = refused.json().error.details;
      expect(detail.path).toEqual(['expiresAt']);
      expect(detail.message).toMatch(message);
    }
    // There is no edit: the expiry is set once, when the key is made.
    const edit = await t.app.inject({
      method: 'PATCH',
      url: `${base}/api-keys/${created.json().record.id}`,
      headers: await loginAs(t, admin),
      payload: { expiresAt: null },
    });
    expect(edit.statusCode).toBe(403);
    // Once the instant has passed the key is refused (made fresh, so no process cached it).
    const { key } = created.json().secrets;
    await t.database.pool.query(
      `UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [created.json().record.id],
    );
    const lead = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: { authorization: `Api-Key ${key}` },
      payload: { full_name: 'Expired key', email: `expired-${Date.now()}@example.test` },
    });
    expect(lead.statusCode).toBe(401);
  });

  it('revokes an API key at once, also when this process had it cached', async () => {
    const authorization = await createApiKey(t, ['leads:write'], { name: 'to revoke' });
    const lead = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers: { authorization },
        payload: { full_name: 'Cached key', email: `cached-${Date.now()}@example.test` },
      });
    expect((await lead()).statusCode).toBe(201);
    const { rows } = await t.database.pool.query<{ id: string }>(
      `SELECT id FROM api_keys WHERE name = 'to revoke'`,
    );
    const revoke = await call('POST', `${base}/api-keys/actions/revoke`, {
      ids: [rows[0]!.id],
      confirm: 1,
    });
    expect(revoke.json()).toMatchObject({ done: 1, failed: 0 });
    expect((await lead()).statusCode).toBe(401);
    // Its page no longer offers "Revoke".
    expect((await call('GET', `${base}/api-keys/${rows[0]!.id}`)).json().actions).toEqual([]);
    const again = await call('POST', `${base}/api-keys/actions/revoke`, {
      ids: [rows[0]!.id],
      confirm: 1,
    });
    expect(again.json().errors[0].message).toBe('Revoked already.');
  });

  it("lists a user's tokens without their hash and revokes one", async () => {
    const authorization = await createApiToken(t, user, ['leads:read'], { name: 'laptop' });
    const list = await call(
      'GET',
      `${base}/api-tokens?filters=${encodeURIComponent(JSON.stringify({ userId: user.id }))}`,
    );
    const items = list.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]).not.toHaveProperty('tokenHash');
    const revoke = await call('POST', `${base}/api-tokens/actions/revoke`, {
      ids: [items[0].id],
      confirm: 1,
    });
    expect(revoke.json()).toMatchObject({ done: 1 });
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/me',
      headers: { authorization },
    });
    expect(me.statusCode).toBe(401);
  });

  it('shows sessions by their public id and ends them', async () => {
    const headers = await loginAs(t, user);
    const detail = await call('GET', `${base}/users/${user.id}`);
    const inline = detail.json().inlines.find((rows: { name: string }) => rows.name === 'sessions');
    expect(inline.items.length).toBeGreaterThan(0);
    const { rows } = await t.database.pool.query<{ id_hash: string }>(
      'SELECT id_hash FROM sessions WHERE user_id = $1',
      [user.id],
    );
    for (const { id_hash } of rows) expect(detail.body).not.toContain(id_hash);
    for (const { id } of inline.items as { id: string }[]) {
      const ended = await call('DELETE', `${base}/sessions/${id}`);
      expect(ended.statusCode).toBe(204);
    }
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/users/me', headers });
    expect(me.statusCode).toBe(401);
  });

  it('shows admins, and only them, the outbox with the mails the account flows wrote', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: user.email },
    });
    await waitForMailTo(t, user.email, { subject: 'Reset your password' });
    const filters = encodeURIComponent(JSON.stringify({ to: user.email }));
    const list = await call('GET', `/api/v1/admin/resources/mail-outbox?filters=${filters}`);
    expect(list.statusCode, list.body).toBe(200);
    const mail = list
      .json()
      .items.find((item: { subject: string }) => item.subject === 'Reset your password');
    expect(mail).toMatchObject({ to: user.email, status: 'captured' });
    const one = await call('GET', `/api/v1/admin/resources/mail-outbox/${mail.id}`);
    expect(one.json().record.text).toContain('/reset-password?token=');
    const asUser = await t.app.inject({
      url: '/api/v1/admin/resources/mail-outbox',
      headers: await loginAs(t, user),
    });
    expect(asUser.statusCode).toBe(403);
  });

  it('resends the verification mail through the account flow', async () => {
    const email = `unverified-${Date.now()}@example.test`;
    const fresh = await insertUser(t.app.db, { email });
    const sent = await call('POST', `${base}/users/actions/resend-verification`, {
      ids: [fresh.id],
    });
    expect(sent.json()).toMatchObject({ done: 1 });
    const mail = await waitForMailTo(t, email);
    expect(mail.text).toContain('/verify-email');
  });
});
