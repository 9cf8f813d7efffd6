import type { OAuth2Server } from 'oauth2-mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser } from '../../../test/auth.js';
import { startGoogleProvider } from '../../../test/google-provider.js';

/** The whole Google flow against a real local OAuth2/OIDC server (oauth2-mock-server). */
describe('Google sign-in', () => {
  let t: TestApp;
  let provider: OAuth2Server;
  let profile: Record<string, unknown>;

  beforeAll(async () => {
    const google = await startGoogleProvider(() => profile);
    provider = google.provider;
    t = await createTestApp({ env: google.env });
  });
  afterAll(async () => {
    await t.close();
    await provider.stop();
  });

  /** Start → the provider's authorize endpoint (real HTTP) → back to our callback. */
  async function signIn(
    options: { next?: string; tamperState?: boolean; dropCookie?: boolean } = {},
  ) {
    const query = options.next ? `?next=${encodeURIComponent(options.next)}` : '';
    const start = await t.app.inject({ url: `/api/v1/auth/google/start${query}` });
    expect(start.statusCode).toBe(302);
    const authorizeUrl = new URL(String(start.headers.location));
    expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(
      `${t.config.publicUrl}/api/v1/auth/google/callback`,
    );
    const stateCookie = String(start.headers['set-cookie']).split(';')[0]!;
    expect(stateCookie).toMatch(/^bastion_oauth=/);

    const authorized = await fetch(authorizeUrl, { redirect: 'manual' });
    const back = new URL(authorized.headers.get('location')!);
    if (options.tamperState) back.searchParams.set('state', 'forged-state');
    return t.app.inject({
      url: `${back.pathname}${back.search}`,
      headers: options.dropCookie ? {} : { cookie: stateCookie },
    });
  }

  function sessionCookie(response: { headers: Record<string, unknown> }) {
    const cookies = ([] as string[]).concat((response.headers['set-cookie'] as string[]) ?? []);
    return cookies.find(
      (cookie) => cookie.startsWith('bastion_session=') && !cookie.startsWith('bastion_session=;'),
    );
  }

  it('creates a verified account on first sign-in and signs it in', async () => {
    profile = {
      sub: 'google-sub-1',
      email: 'new.google@example.test',
      email_verified: true,
      name: 'Goo Gle',
    };
    const callback = await signIn({ next: '/profile?tab=tokens' });
    expect(callback.statusCode).toBe(302);
    expect(callback.headers.location).toBe('/profile?tab=tokens');
    const cookie = sessionCookie(callback)!.split(';')[0]!;
    const me = await t.app.inject({ url: '/api/v1/users/me', headers: { cookie } });
    expect(me.json()).toMatchObject({
      email: 'new.google@example.test',
      displayName: 'Goo Gle',
      emailVerified: true,
      hasPassword: false,
    });
    // Signing in again finds the linked identity, whatever the email says now.
    profile = { ...profile, email: 'renamed@example.test' };
    const again = await signIn();
    expect(again.headers.location).toBe('/profile');
    const meAgain = await t.app.inject({
      url: '/api/v1/users/me',
      headers: { cookie: sessionCookie(again)!.split(';')[0]! },
    });
    expect(meAgain.json().id).toBe(me.json().id);
  });

  it('links to an existing verified account with the same email', async () => {
    const user = await createUser(t, { email: 'has.password@example.test' });
    profile = { sub: 'google-sub-2', email: 'Has.Password@example.test', email_verified: true };
    const callback = await signIn();
    const me = await t.app.inject({
      url: '/api/v1/users/me',
      headers: { cookie: sessionCookie(callback)!.split(';')[0]! },
    });
    expect(me.json()).toMatchObject({ id: user.id, hasPassword: true });
    const { rows } = await t.database.pool.query(
      'select user_id from oauth_accounts where subject = $1',
      ['google-sub-2'],
    );
    expect(rows).toEqual([{ user_id: user.id }]);
  });

  it('takes over an unverified account with the same email, dropping its password', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'squatted@example.test', password: 'an attacker passphrase' },
    });
    profile = { sub: 'google-sub-3', email: 'squatted@example.test', email_verified: true };
    const callback = await signIn();
    expect(sessionCookie(callback)).toBeDefined();
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'squatted@example.test', password: 'an attacker passphrase' },
    });
    expect(login.statusCode).toBe(401);
  });

  it('refuses a Google account whose email is not verified', async () => {
    profile = { sub: 'google-sub-4', email: 'unverified@example.test', email_verified: false };
    const callback = await signIn();
    expect(callback.headers.location).toBe('/login?error=google_email_unverified');
    expect(sessionCookie(callback)).toBeUndefined();
  });

  it('sends a cancelled consent back to the login page without a session', async () => {
    provider.service.once('beforeAuthorizeRedirect', (redirect) => {
      redirect.url.searchParams.delete('code');
      redirect.url.searchParams.set('error', 'access_denied');
    });
    profile = { sub: 'google-sub-5', email: 'cancel@example.test', email_verified: true };
    const callback = await signIn();
    expect(callback.headers.location).toBe('/login?error=google_cancelled');
    expect(sessionCookie(callback)).toBeUndefined();
  });

  it('refuses a state that does not match the one in the cookie, or a missing cookie', async () => {
    profile = { sub: 'google-sub-6', email: 'state@example.test', email_verified: true };
    for (const options of [{ tamperState: true }, { dropCookie: true }]) {
      const callback = await signIn(options);
      expect(callback.headers.location).toBe('/login?error=google_state_mismatch');
      expect(sessionCookie(callback)).toBeUndefined();
    }
    const { rows } = await t.database.pool.query(
      `select count(*)::int as n from users where email = 'state@example.test'`,
    );
    expect(rows[0].n).toBe(0);
  });

  it('only redirects to paths of this app after sign-in (allow-list)', async () => {
    profile = { sub: 'google-sub-1', email: 'new.google@example.test', email_verified: true };
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const callback = await signIn({ next });
      expect(callback.headers.location).toBe('/profile');
    }
  });

  it('reports Google as available in the auth state', async () => {
    expect((await t.app.inject({ url: '/api/v1/auth/state' })).json().googleEnabled).toBe(true);
  });
});

describe('Google sign-in when not configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers 404 and is not offered', async () => {
    expect((await t.app.inject({ url: '/api/v1/auth/google/start' })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/v1/auth/state' })).json().googleEnabled).toBe(false);
  });
});
