import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import { tokenFromLastMail, waitForMailTo } from '../../../test/mail.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';

const PASSWORD = 'a perfectly fine passphrase';

function cookiesOf(response: { headers: Record<string, unknown> }) {
  const raw = response.headers['set-cookie'];
  const list = Array.isArray(raw) ? raw : raw ? [String(raw)] : [];
  const jar: Record<string, string> = {};
  for (const line of list as string[]) {
    const [pair] = line.split(';');
    const [name, ...value] = pair!.split('=');
    jar[name!] = value.join('=');
  }
  return jar;
}

/** Browser-like headers from a login response: both cookies and the CSRF header. */
function sessionHeaders(response: { headers: Record<string, unknown> }) {
  const jar = cookiesOf(response);
  return {
    cookie: `bastion_session=${jar.bastion_session}; bastion_csrf=${jar.bastion_csrf}`,
    'x-csrf-token': jar.bastion_csrf!,
  };
}

describe('account flows', () => {
  let t: TestApp;
  let worker: JobsRuntime;
  const audit = async (action: string) =>
    (await t.database.pool.query('select * from audit_events where action = $1', [action])).rows;

  beforeAll(async () => {
    t = await createTestApp();
    // The verification and notice mails are sent by jobs (jobs.ts).
    worker = await startTestWorker(t);
  });
  afterAll(async () => {
    await worker.stop(1000);
    await t.close();
  });

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      headers,
    });

  it('signs up, verifies by the mailed link, then logs in with a session cookie', async () => {
    const signup = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'New.Person@Example.test', password: PASSWORD, displayName: 'New Person' },
    });
    expect(signup.statusCode).toBe(202);
    // Unverified accounts cannot sign in yet (but only the right password learns that).
    expect((await login('new.person@example.test', PASSWORD)).json().error.code).toBe(
      'email_not_verified',
    );

    const token = await tokenFromLastMail(t, 'new.person@example.test');
    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token },
    });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({
      email: 'new.person@example.test',
      emailVerified: true,
      role: 'user',
    });
    // The link is single use.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/verify-email',
      payload: { token },
    });
    expect(again.statusCode).toBe(400);

    const response = await login('NEW.person@example.test', PASSWORD);
    expect(response.statusCode).toBe(200);
    const setCookie = (response.headers['set-cookie'] as string[]).join('\n');
    expect(setCookie).toMatch(
      /bastion_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/,
    );
    expect(setCookie).toMatch(/bastion_csrf=[^;]+; Path=\/; Expires=[^;]+; SameSite=Lax/);
    const me = await t.app.inject({ url: '/api/v1/users/me', headers: sessionHeaders(response) });
    expect(me.json()).toMatchObject({ displayName: 'New Person', hasPassword: true });
    await expect.poll(async () => (await audit('user.signup')).length).toBe(1);
    expect((await audit('auth.login')).length).toBeGreaterThan(0);
  });

  it('answers signup identically for a known and an unknown email (no enumeration)', async () => {
    const existing = await createUser(t, {});
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: existing.email, password: PASSWORD },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'fresh@example.test', password: PASSWORD },
    });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.json()).toEqual(unknown.json());
    const notice = await waitForMailTo(t, existing.email);
    expect(notice.subject).toBe('Someone tried to sign up with your address');
  });

  it('answers login with one generic error for an unknown email and a wrong password', async () => {
    const user = await createUser(t, {});
    const wrong = await login(user.email, 'not the password at all');
    const unknown = await login('nobody@example.test', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (body: { error: { requestId: string } }) => ({ ...body.error, requestId: '' });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().error).toMatchObject({
      code: 'invalid_credentials',
      message: 'Email or password is incorrect.',
    });
    expect((await audit('auth.login_failed')).length).toBeGreaterThanOrEqual(2);
  });

  it('answers forgot-password identically for known and unknown emails', async () => {
    const user = await createUser(t, {});
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: user.email },
    });
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: 'ghost@example.test' },
    });
    expect([known.statusCode, known.json()]).toEqual([unknown.statusCode, unknown.json()]);
  });

  it('rotates the session id on login: the id held before is no longer valid', async () => {
    const user = await createUser(t, {});
    const before = await loginAs(t, user);
    const response = await login(user.email, user.password, before);
    expect(response.statusCode).toBe(200);
    const after = sessionHeaders(response);
    expect(after.cookie).not.toBe(before.cookie);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: before })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: after })).statusCode).toBe(200);
  });

  it('ends a session after the idle timeout and after the absolute lifetime', async () => {
    const user = await createUser(t, {});
    const idle = await loginAs(t, user);
    const old = await loginAs(t, user);
    const fresh = await loginAs(t, user);
    const idleHours = t.config.session.idleTimeoutMs / 3_600_000;
    // The newest session rows are these three, oldest first.
    const { rows } = await t.database.pool.query<{ id_hash: string }>(
      'select id_hash from sessions where user_id = $1 order by created_at',
      [user.id],
    );
    await t.database.pool.query(
      `update sessions set last_seen_at = now() - make_interval(hours => $2::int + 1) where id_hash = $1`,
      [rows[0]!.id_hash, idleHours],
    );
    await t.database.pool.query(
      `update sessions set expires_at = now() - interval '1 second' where id_hash = $1`,
      [rows[1]!.id_hash],
    );
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: idle })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: old })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/users/me', headers: fresh })).statusCode).toBe(200);
    // Expired rows are deleted when seen.
    const left = await t.database.pool.query(
      'select count(*)::int as n from sessions where user_id = $1',
      [user.id],
    );
    expect(left.rows[0].n).toBe(1);
  });

  it('logs out: the session is destroyed server-side and the cookies cleared', async () => {
    const user = await createUser(t, {});
    const headers = await loginAs(t, user);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('bastion_session=;');
    expect((await t.app.inject({ url: '/api/v1/users/me', headers })).statusCode).toBe(401);
    expect((await audit('auth.logout')).length).toBeGreaterThan(0);
  });
});
