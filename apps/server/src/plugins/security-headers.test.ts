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

  it('gives documents a strict CSP, framing, sniffing, referrer and permissions policies', async () => {
    const { headers } = await dev.app.inject({ url: '/some/page' });
    expect(headers['content-security-policy']).toContain("script-src 'self'");
    expect(headers['content-security-policy']).not.toContain('unsafe-inline');
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toContain('camera=()');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['access-control-allow-origin']).toBeUndefined();
    expect(headers['strict-transport-security']).toBeUndefined();
  });

  it('gives JSON answers the API set: nothing may load, frame, sniff or cache them', async () => {
    for (const url of ['/api/v1/auth/state', '/api/v1/no-such-route']) {
      const { headers } = await dev.app.inject({ url });
      expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
      expect(headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(headers['cache-control']).toBe('no-store');
      // Document-only and legacy headers do nothing on JSON.
      expect(headers['permissions-policy']).toBeUndefined();
      expect(headers['cross-origin-opener-policy']).toBeUndefined();
      expect(headers['x-xss-protection']).toBeUndefined();
    }
  });

  it('adds HSTS and __Host- Secure session cookies in production', async () => {
    for (const url of ['/api/health', '/some/page']) {
      const { headers } = await prod.app.inject({ url });
      expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    }
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
