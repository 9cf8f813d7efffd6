import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createApiKey, createApiToken, createUser, loginAs } from '../../../test/auth.js';

const ok = { response: { 200: z.object({ ok: z.literal(true), kind: z.string() }) } };

function probeRoutes(app: FastifyInstance) {
  const handler = async (request: { auth: { kind: string } }) => ({
    ok: true as const,
    kind: request.auth.kind,
  });
  app.get('/test/public', { config: { access: 'public' }, schema: ok }, handler);
  app.get('/test/authenticated', { config: { access: 'authenticated' }, schema: ok }, handler);
  app.get('/test/staff', { config: { access: 'staff' }, schema: ok }, handler);
  app.get('/test/admin', { config: { access: 'admin' }, schema: ok }, handler);
  app.post(
    '/test/leads',
    { config: { access: 'staff', scopes: ['leads:write'] }, schema: ok },
    handler,
  );
  app.get(
    '/test/leads',
    { config: { access: 'staff', scopes: ['leads:read'] }, schema: ok },
    handler,
  );
  app.post('/test/public-post', { config: { access: 'public' }, schema: ok }, handler);
}

describe('route access enforcement', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ routes: probeRoutes });
  });
  afterAll(() => t.close());

  it('lets anyone call a public route', async () => {
    const response = await t.app.inject({ url: '/test/public' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ ok: true, kind: 'anonymous' });
  });

  it('refuses anonymous callers with 401 in the standard error shape', async () => {
    for (const url of ['/test/authenticated', '/test/staff', '/test/admin']) {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({
        error: { code: 'unauthorized', message: expect.any(String), requestId: expect.any(String) },
      });
    }
  });

  it('grants each role what its rank allows, and answers 403 above it', async () => {
    const expectations = {
      user: { '/test/authenticated': 200, '/test/staff': 403, '/test/admin': 403 },
      staff: { '/test/authenticated': 200, '/test/staff': 200, '/test/admin': 403 },
      admin: { '/test/authenticated': 200, '/test/staff': 200, '/test/admin': 200 },
    } as const;
    for (const [role, urls] of Object.entries(expectations)) {
      const user = await createUser(t, { role: role as keyof typeof expectations });
      const headers = await loginAs(t, user);
      for (const [url, status] of Object.entries(urls)) {
        const response = await t.app.inject({ url, headers });
        expect({ role, url, status: response.statusCode }).toEqual({ role, url, status });
        if (status === 403) expect(response.json().error.code).toBe('forbidden');
      }
    }
  });

  it('ignores an unknown session cookie (anonymous) and clears it', async () => {
    const response = await t.app.inject({
      url: '/test/authenticated',
      headers: { cookie: 'bastion_session=forged' },
    });
    expect(response.statusCode).toBe(401);
    expect(String(response.headers['set-cookie'])).toContain('bastion_session=;');
  });

  it('accepts an API key carrying one of the route scopes, and refuses other scopes', async () => {
    const writer = await createApiKey(t, ['leads:write']);
    const post = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { authorization: writer },
    });
    expect(post.statusCode).toBe(200);
    expect(post.json().kind).toBe('api_key');
    const read = await t.app.inject({ url: '/test/leads', headers: { authorization: writer } });
    expect(read.statusCode).toBe(403);
    expect(read.json().error.message).toContain('leads:read');
  });

  it('refuses API keys and tokens on routes that list no scopes', async () => {
    const key = await createApiKey(t, ['leads:read', 'leads:write']);
    expect(
      (await t.app.inject({ url: '/test/staff', headers: { authorization: key } })).statusCode,
    ).toBe(403);
  });

  it('answers 401 for unknown, revoked or malformed credentials', async () => {
    for (const authorization of [
      'Api-Key nope',
      'Bearer bst_nope',
      'Basic dXNlcjpwYXNz',
      'Api-Key',
    ]) {
      const response = await t.app.inject({ url: '/test/public', headers: { authorization } });
      expect({ authorization, status: response.statusCode }).toEqual({
        authorization,
        status: 401,
      });
    }
  });

  it('accepts an imported API key value exactly, and nothing that merely shares its prefix', async () => {
    const header = await createApiKey(t, ['leads:write'], { key: 'site-key-imported-0123456789' });
    expect(header).toBe('Api-Key site-key-imported-0123456789');
    const good = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { authorization: header },
    });
    expect(good.statusCode).toBe(200);
    const near = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { authorization: `${header}x` },
    });
    expect(near.statusCode).toBe(401);
  });

  it('lets a personal API token act within both its scopes and its user role', async () => {
    const staff = await createUser(t, { role: 'staff' });
    const token = await createApiToken(t, staff, ['leads:read']);
    const read = await t.app.inject({ url: '/test/leads', headers: { authorization: token } });
    expect(read.statusCode).toBe(200);
    expect(read.json().kind).toBe('token');
    // Scope missing: refused even though the user could do it in the browser.
    const write = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { authorization: token },
    });
    expect(write.statusCode).toBe(403);
    // Role too low: a plain user's token with the scope still cannot reach a staff route.
    const plain = await createUser(t, { role: 'user' });
    const plainToken = await createApiToken(t, plain, ['leads:read']);
    expect(
      (await t.app.inject({ url: '/test/leads', headers: { authorization: plainToken } }))
        .statusCode,
    ).toBe(403);
  });

  it('records when a token was last used', async () => {
    const staff = await createUser(t, { role: 'staff' });
    const token = await createApiToken(t, staff, ['leads:read']);
    await t.app.inject({ url: '/test/leads', headers: { authorization: token } });
    const { rows } = await t.database.pool.query(
      'select last_used_at from api_tokens where user_id = $1',
      [staff.id],
    );
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('refuses a session of a disabled user', async () => {
    const user = await createUser(t, {});
    const headers = await loginAs(t, user);
    await t.database.pool.query('update users set is_active = false where id = $1', [user.id]);
    expect((await t.app.inject({ url: '/test/authenticated', headers })).statusCode).toBe(401);
  });

  it('refuses an expired API token', async () => {
    const staff = await createUser(t, { role: 'staff' });
    const token = await createApiToken(t, staff, ['leads:read']);
    await t.database.pool.query(`update api_tokens set expires_at = now() - interval '1 second'`);
    expect(
      (await t.app.inject({ url: '/test/leads', headers: { authorization: token } })).statusCode,
    ).toBe(401);
  });
});

describe('CSRF protection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      routes: probeRoutes,
      env: { ALLOWED_ORIGINS: 'https://www.example.com' },
    });
  });
  afterAll(() => t.close());

  it('refuses a cookie-authenticated POST without the X-CSRF-Token header', async () => {
    const user = await createUser(t, { role: 'staff' });
    const { cookie } = await loginAs(t, user);
    const response = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { cookie },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('csrf_failed');
  });

  it('refuses a cookie-authenticated POST with a wrong token, even one of another session', async () => {
    const user = await createUser(t, { role: 'staff' });
    const { cookie } = await loginAs(t, user);
    const other = await loginAs(t, user);
    for (const token of ['wrong', other['x-csrf-token']]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/test/leads',
        headers: { cookie, 'x-csrf-token': token },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_failed');
    }
  });

  it('accepts a cookie-authenticated POST with the session token', async () => {
    const user = await createUser(t, { role: 'staff' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: await loginAs(t, user),
    });
    expect(response.statusCode).toBe(200);
  });

  it('refuses state-changing requests from a foreign Origin or Referer, even anonymous ones', async () => {
    const user = await createUser(t, { role: 'staff' });
    const headers = await loginAs(t, user);
    const evil = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { ...headers, origin: 'https://evil.example' },
    });
    expect(evil.statusCode).toBe(403);
    const referer = await t.app.inject({
      method: 'POST',
      url: '/test/public-post',
      headers: { referer: 'https://evil.example/form' },
    });
    expect(referer.statusCode).toBe(403);
    expect(referer.json().error.code).toBe('csrf_failed');
  });

  it('accepts PUBLIC_URL, ALLOWED_ORIGINS and same-host origins', async () => {
    const user = await createUser(t, { role: 'staff' });
    const headers = await loginAs(t, user);
    for (const origin of [t.config.publicUrl, 'https://www.example.com', 'http://localhost:80']) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/test/leads',
        headers: { ...headers, origin },
      });
      expect({ origin, status: response.statusCode }).toEqual({ origin, status: 200 });
    }
  });

  it('exempts API-key and token requests, which carry no ambient credentials', async () => {
    const key = await createApiKey(t, ['leads:write']);
    const response = await t.app.inject({
      method: 'POST',
      url: '/test/leads',
      headers: { authorization: key, origin: 'https://evil.example' },
    });
    expect(response.statusCode).toBe(200);
  });
});
