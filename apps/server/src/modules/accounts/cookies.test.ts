import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';

// A browser deletes a cookie only when the clearing Set-Cookie matches it (name, path, domain),
// and it refuses any `__Host-` cookie, clearing ones included, that lacks `Secure`, `Path=/` or
// has a `Domain`. So in production every clearing header must carry the attributes the cookie
// was set with. These are the exact headers, for every place Bastion clears a cookie.

const EPOCH = 'Expires=Thu, 01 Jan 1970 00:00:00 GMT';

function setCookies(response: { headers: Record<string, unknown> }): string[] {
  const raw = response.headers['set-cookie'];
  return raw === undefined ? [] : ([] as string[]).concat(raw as string[]);
}

describe('cookies in production are cleared with the attributes they were set with', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: 'x1y2z3-production-grade-secret-key-ABCDEFGHIJ',
        DATABASE_URL: 'postgres://unused',
        // Google sign-in on, so its state cookie exists; no test here reaches the provider.
        GOOGLE_CLIENT_ID: 'bastion-test',
        GOOGLE_CLIENT_SECRET: 'bastion-test-secret',
      },
    });
  });
  afterAll(() => t.close());

  it('sets the session cookies with __Host- rules and clears both, Secure, at logout', async () => {
    const user = await createUser(t, {});
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(login.statusCode).toBe(200);
    const [session, csrf] = setCookies(login);
    expect(session).toMatch(
      /^__Host-bastion_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/,
    );
    expect(csrf).toMatch(/^bastion_csrf=[^;]+; Path=\/; Expires=[^;]+; Secure; SameSite=Lax$/);

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: await loginAs(t, user),
    });
    expect(out.statusCode).toBe(204);
    expect(setCookies(out)).toEqual([
      `__Host-bastion_session=; Max-Age=0; Path=/; ${EPOCH}; HttpOnly; Secure; SameSite=Lax`,
      `bastion_csrf=; Max-Age=0; Path=/; ${EPOCH}; Secure; SameSite=Lax`,
    ]);
  });

  it('clears a stale session cookie, Secure', async () => {
    const response = await t.app.inject({
      url: '/api/v1/auth/state',
      headers: { cookie: '__Host-bastion_session=no-such-session' },
    });
    expect(response.statusCode).toBe(200);
    expect(setCookies(response)).toEqual([
      `__Host-bastion_session=; Max-Age=0; Path=/; ${EPOCH}; HttpOnly; Secure; SameSite=Lax`,
    ]);
  });

  it('sets and clears the Google state cookie with the same path and Secure', async () => {
    const start = await t.app.inject({ url: '/api/v1/auth/google/start' });
    expect(start.statusCode).toBe(302);
    expect(setCookies(start)).toEqual([
      expect.stringMatching(
        /^bastion_oauth=[^;]+; Max-Age=600; Path=\/api\/v1\/auth\/google; HttpOnly; Secure; SameSite=Lax$/,
      ),
    ]);
    const callback = await t.app.inject({
      url: '/api/v1/auth/google/callback?error=access_denied',
      headers: { cookie: setCookies(start)[0]!.split(';')[0]! },
    });
    expect(callback.statusCode).toBe(302);
    expect(setCookies(callback)).toEqual([
      `bastion_oauth=; Max-Age=0; Path=/api/v1/auth/google; ${EPOCH}; HttpOnly; Secure; SameSite=Lax`,
    ]);
  });
});
