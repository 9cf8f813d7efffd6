import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { HttpError, tooManyRequests } from '../../http/errors.js';

const REDIS_URL = 'redis://127.0.0.1:6379';

describe('rate limits shared through Redis', () => {
  const prefix = `bastion-test:${randomUUID()}:`;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: prefix, AUTH_RATE_LIMIT_PER_15MIN: '3' };
    first = await createTestApp({ env });
    second = await createTestApp({ env });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts requests to two server instances together and answers 429 with Retry-After', async () => {
    const attempt = (t: TestApp) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password/forgot',
        payload: { email: 'x@example.test' },
      });
    const statuses = [];
    for (const t of [first, second, first]) statuses.push((await attempt(t)).statusCode);
    expect(statuses).toEqual([202, 202, 202]);
    const limited = await attempt(second);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error).toMatchObject({
      code: 'rate_limited',
      requestId: expect.any(String),
    });
    // The counters really are in Redis, under this deployment's prefix.
    const redis = new Redis(REDIS_URL);
    expect((await redis.keys(`${prefix}*`)).length).toBeGreaterThan(0);
    redis.disconnect();
  });
});

describe('rate limits in memory (no REDIS_URL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
  });
  afterAll(() => t.close());

  it('limits every route per client IP with the general limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await t.app.inject({ url: '/api/v1/auth/state' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('rate limits with the general limit off (RATE_LIMIT_PER_MINUTE=0)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      env: { RATE_LIMIT_PER_MINUTE: '0', AUTH_RATE_LIMIT_PER_15MIN: '2' },
    });
  });
  afterAll(() => t.close());

  it('leaves ordinary routes unlimited but keeps the strict limits of sign-in routes', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await t.app.inject({ url: '/api/v1/auth/state' })).statusCode).toBe(200);
    }
    const forgot = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password/forgot',
        payload: { email: 'a@example.test' },
      });
    expect([
      (await forgot()).statusCode,
      (await forgot()).statusCode,
      (await forgot()).statusCode,
    ]).toEqual([202, 202, 429]);
  });
});

describe('every 429 carries Retry-After', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({
      routes: (app) => {
        app.get('/test/too-many', { config: { access: 'public' } }, () => {
          throw tooManyRequests('Slow down; try again in 7 seconds.', 6.2);
        });
        // A 429 thrown without saying when: the error handler still gives a Retry-After.
        app.get('/test/too-many-unsaid', { config: { access: 'public' } }, () => {
          throw new HttpError(429, 'rate_limited', 'Slow down.');
        });
      },
    });
  });
  afterAll(() => t.close());

  it('uses the wait the code gives, or a default', async () => {
    const said = await t.app.inject({ url: '/test/too-many' });
    expect([said.statusCode, said.headers['retry-after']]).toEqual([429, '7']);
    expect(said.json().error).toMatchObject({ code: 'rate_limited', message: expect.any(String) });
    const unsaid = await t.app.inject({ url: '/test/too-many-unsaid' });
    expect([unsaid.statusCode, unsaid.headers['retry-after']]).toEqual([429, '60']);
  });
});

describe('CORS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ALLOWED_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => t.close());

  it('allows configured origins with credentials and ignores others', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/api/v1/users/me',
        headers: { origin, 'access-control-request-method': 'PATCH' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const other = await preflight('https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
