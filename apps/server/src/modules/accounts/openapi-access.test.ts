import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';

/**
 * Every operation anonymous callers may reach. Adding a public route means adding it here, in
 * review, on purpose. Everything else in the OpenAPI document must answer 401 to anonymous calls.
 */
const PUBLIC_OPERATIONS = [
  'GET /api/health',
  'GET /api/ready',
  'GET /api/v1/auth/state',
  'POST /api/v1/auth/signup',
  'POST /api/v1/auth/verify-email',
  'POST /api/v1/auth/verify-email/resend',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/password/forgot',
  'POST /api/v1/auth/password/reset',
  'POST /api/v1/auth/setup',
  'GET /api/v1/auth/google/start',
  'GET /api/v1/auth/google/callback',
  // CRM: newsletter double opt-in and one-click unsubscribe, authorised by the mailed token.
  'POST /api/v1/newsletter/confirm',
  'POST /api/v1/newsletter/unsubscribe',
].sort();

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

describe('anonymous access across the whole API', () => {
  let t: TestApp;
  let document: { paths: Record<string, Partial<Record<string, unknown>>> };
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_15MIN: '1000' } });
    document = (await t.app.inject({ url: '/api/openapi.json' })).json();
  });
  afterAll(() => t.close());

  it('refuses every operation of the OpenAPI document with 401, except the public list', async () => {
    const reachable: string[] = [];
    let operations = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        if (!item[method]) continue;
        operations++;
        // Path parameters get a well-formed dummy: access is decided before validation anyway.
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const response = await t.app.inject({ method: method.toUpperCase() as 'GET', url });
        if (response.statusCode !== 401) reachable.push(`${method.toUpperCase()} ${path}`);
        else expect(response.json().error.code).toBe('unauthorized');
      }
    }
    expect(operations).toBeGreaterThan(PUBLIC_OPERATIONS.length);
    expect(reachable.sort()).toEqual(PUBLIC_OPERATIONS);
  });
});
