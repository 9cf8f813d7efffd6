import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createUser } from '../../test/auth.js';

describe('security headers', () => {
  let dev: TestApp;
  let prod: TestApp;
  beforeAll(async () => {
    dev = await createTestApp();
    // Production mode (needs a strong secret); the database URL comes from the test app.
    prod = await createTestApp({
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: 'x1y2z3-production-grade-secret-key-ABCDEFGHIJ',
        DATABASE_URL: 'postgres://unused',
      },
    });
  });
  afterAll(async () => {
    await dev.close();
    await prod.close();
  });

  it('sends a strict CSP, framing, sniffing, referrer and permissions policies', async () => {
    const { headers } = await dev.app.inject({ url: '/api/v1/auth/state' });
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['access-control-allow-origin']).toBeUndefined();
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('adds HSTS and __Host- Secure session cookies in production', async () => {
    const { headers } = await prod.app.inject({ url: '/api/health' });
    expect(headers['strict-transport-security']).toContain('max-age=63072000');
    const user = await createUser(prod, {});
    const login = await prod.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: user.password },
    });
    const cookies = (login.headers['set-cookie'] as string[]).join('\n');
    expect(cookies).toMatch(
      /__Host-bastion_session=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax/,
    );
    expect(cookies).toMatch(/bastion_csrf=[^;]+;.*Secure/);
  });
});
