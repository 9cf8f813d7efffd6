import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import { lastMailTo, tokenFromLastMail } from '../../../test/mail.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';

describe('account changes: password, email, profile, sessions, tokens', () => {
  let t: TestApp;
  let worker: JobsRuntime;
  const audit = async (action: string) =>
    (await t.database.pool.query('select * from audit_events where action = $1', [action])).rows;

  beforeAll(async () => {
    t = await createTestApp();
    // Reset links are mailed by a job (jobs.ts).
    worker = await startTestWorker(t);
  });
  afterAll(async () => {
    await worker.stop(1000);
    await t.close();
  });

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  it('resets a password with a single-use token that also ends every session', async () => {
    const user = await createUser(t, {});
    const headers = await loginAs(t, user);
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: user.email },
    });
    const token = await tokenFromLastMail(t, user.email);
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.details[0].path).toEqual(['password']);
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'brand new passphrase' },
    });
    expect(reset.statusCode).toBe(200);
    const reuse = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'another new passphrase' },
    });
    expect(reuse.statusCode).toBe(400);
    expect(reuse.json().error.code).toBe('invalid_token');
    expect((await t.app.inject({ url: '/api/v1/users/me', headers })).statusCode).toBe(401);
    expect((await login(user.email, 'brand new passphrase')).statusCode).toBe(200);
    const { rows } = await t.database.pool.query(
      `select token_hash from account_tokens where purpose = 'reset_password'`,
    );
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('refuses an expired reset token', async () => {
    const user = await createUser(t, {});
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: user.email },
    });
    const token = await tokenFromLastMail(t, user.email);
    await t.database.pool.query(
      `update account_tokens set expires_at = now() - interval '1 second' where purpose = 'reset_password'`,
    );
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/reset',
      payload: { token, password: 'brand new passphrase' },
    });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().error.code).toBe('invalid_token');
  });

  it('enforces the password policy with field errors', async () => {
    const cases = [
      ['short1', 'at least 10'],
      ['policy@example.test', 'email'],
      ['password123', 'too common'],
      ['1234567890', 'too common'],
    ] as const;
    for (const [password, message] of cases) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email: 'policy@example.test', password },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details).toEqual([
        { path: ['password'], message: expect.stringContaining(message), code: 'weak_password' },
      ]);
    }
  });

  it('changes the password, keeps this session and signs out the others', async () => {
    const user = await createUser(t, {});
    const here = await loginAs(t, user);
    const elsewhere = await loginAs(t, user);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/password',
      headers: here,
      payload: { currentPassword: 'nope', newPassword: 'the next passphrase' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].path).toEqual(['currentPassword']);
    const changed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/password',
      headers: here,
      payload: { currentPassword: user.password, newPassword: 'the next passphrase' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: here })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: elsewhere })).statusCode).toBe(
      401,
    );
    expect((await audit('user.password_changed')).length).toBe(1);
  });

  it('changes the email only once the new address confirms', async () => {
    const user = await createUser(t, {});
    const headers = await loginAs(t, user);
    const request = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/email',
      headers,
      payload: { email: 'moved@example.test', currentPassword: user.password },
    });
    expect(request.statusCode).toBe(202);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers })).json().email).toBe(
      user.email,
    );
    expect((await lastMailTo(t, user.email))?.subject).toBe('Your email address is being changed');
    const token = await tokenFromLastMail(t, 'moved@example.test');
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token },
    });
    expect(confirmed.statusCode).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers })).json()).toMatchObject({
      email: 'moved@example.test',
      emailVerified: true,
    });
    expect((await audit('user.email_changed')).length).toBe(1);
  });

  it('edits the profile through PATCH /users/me with field errors for bad input', async () => {
    const user = await createUser(t, {});
    const headers = await loginAs(t, user);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers,
      payload: { displayName: 'Ada', bio: 'Hi', avatarUrl: 'https://example.test/a.png' },
    });
    expect(patched.json()).toMatchObject({
      displayName: 'Ada',
      bio: 'Hi',
      avatarUrl: 'https://example.test/a.png',
    });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers,
      payload: { avatarUrl: 'javascript:alert(1)' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['avatarUrl']);
    // Role cannot be changed by the user: unknown keys are dropped.
    const sneaky = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers,
      payload: { role: 'admin' },
    });
    expect(sneaky.json().role).toBe('user');
  });

  it('lists active sessions and revokes one of them', async () => {
    const user = await createUser(t, {});
    const here = await loginAs(t, user);
    const other = await loginAs(t, user);
    const list = await t.app.inject({ url: '/api/v1/users/me/sessions', headers: here });
    const items = list.json().items as { id: string; current: boolean }[];
    expect(items).toHaveLength(2);
    expect(items.filter((s) => s.current)).toHaveLength(1);
    const target = items.find((s) => !s.current)!;
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/me/sessions/${target.id}`,
      headers: here,
    });
    expect(revoked.statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: other })).statusCode).toBe(401);
    // Another user's session handle is not found.
    const stranger = await loginAs(t, await createUser(t, {}));
    const theirs = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/me/sessions/${items.find((s) => s.current)!.id}`,
      headers: stranger,
    });
    expect(theirs.statusCode).toBe(404);
  });

  it('creates an API token shown once, stores it hashed, and revokes it', async () => {
    const staff = await createUser(t, { role: 'staff' });
    const headers = await loginAs(t, staff);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/tokens',
      headers,
      payload: { name: 'ci', scopes: ['leads:read'], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json();
    expect(token).toMatch(/^bst_/);
    expect(apiToken.last4).toBe(token.slice(-4));
    const { rows } = await t.database.pool.query('select * from api_tokens');
    expect(JSON.stringify(rows)).not.toContain(token);
    const list = await t.app.inject({ url: '/api/v1/users/me/tokens', headers });
    expect(JSON.stringify(list.json())).not.toContain(token);
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/me/tokens/${apiToken.id}`,
      headers,
    });
    expect(revoked.json().revokedAt).not.toBeNull();
    const use = await t.app.inject({
      url: '/api/v1/users/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(use.statusCode).toBe(401);
    expect((await audit('api_token.created')).length).toBe(1);
    expect((await audit('api_token.revoked')).length).toBe(1);
  });

  it('refuses to let a plain user grant a staff scope to a token', async () => {
    const headers = await loginAs(t, await createUser(t, {}));
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/me/tokens',
      headers,
      payload: { name: 'x', scopes: ['leads:write'] },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json().error.details[0].path).toEqual(['scopes']);
  });
});
