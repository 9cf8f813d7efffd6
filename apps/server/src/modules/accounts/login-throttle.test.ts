import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Response as InjectResponse } from 'light-my-request';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser } from '../../../test/auth.js';
import { lastMailTo, tokenFromLastMail } from '../../../test/mail.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';
import { ACCOUNT, ACCOUNT_AND_NETWORK, clientNetwork, delayAfter } from './login-throttle.js';

const REDIS_URL = 'redis://127.0.0.1:6379';
// The per-IP limit of the auth routes is another layer; these tests look at the throttle alone.
const env = { AUTH_RATE_LIMIT_PER_15MIN: '10000' };

function loginWith(t: TestApp) {
  return (email: string, password: string, ip = '127.0.0.1', unlockToken?: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password, ...(unlockToken ? { unlockToken } : {}) },
      remoteAddress: ip,
    });
}

/** The seconds a 429 says to wait, after checking it is the standard one with Retry-After. */
function retryAfter(response: InjectResponse): number {
  expect(response.statusCode).toBe(429);
  expect(response.json().error).toMatchObject({
    code: 'rate_limited',
    requestId: expect.any(String),
  });
  const seconds = Number(response.headers['retry-after']);
  expect(seconds).toBeGreaterThan(0);
  return seconds;
}

describe('growing delays', () => {
  it('double after the free attempts, up to the cap', () => {
    const free = ACCOUNT_AND_NETWORK.free;
    expect(
      [free - 1, free, free + 1, free + 2].map((n) => delayAfter(ACCOUNT_AND_NETWORK, n)),
    ).toEqual([0, 30_000, 60_000, 120_000]);
    expect(delayAfter(ACCOUNT_AND_NETWORK, 100)).toBe(ACCOUNT_AND_NETWORK.maxDelayMs);
  });

  it('count a client by its IPv4 address or its IPv6 /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });
});

describe('login throttle (in memory)', () => {
  let t: TestApp;
  let worker: JobsRuntime;
  let login: ReturnType<typeof loginWith>;
  beforeAll(async () => {
    t = await createTestApp({ env });
    worker = await startTestWorker(t);
    login = loginWith(t);
  });
  afterAll(async () => {
    await worker.stop(1000);
    await t.close();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops ten wrong passwords from one network there only: the owner elsewhere signs in', async () => {
    const owner = await createUser(t, {});
    const statuses = [];
    let last: InjectResponse | undefined;
    for (let i = 0; i < 10; i++) {
      last = await login(owner.email, `wrong guess ${i}`, '198.51.100.1');
      statuses.push(last.statusCode);
    }
    const free = ACCOUNT_AND_NETWORK.free;
    expect(statuses).toEqual([...Array(free).fill(401), ...Array(10 - free).fill(429)]);
    expect(retryAfter(last!)).toBe(30);
    expect(last!.json().error.message).toBe(
      'Too many failed sign-in attempts for this account from your network. Try again in 30 seconds.',
    );
    // Even the right password waits on that network (no password oracle while throttled)…
    retryAfter(await login(owner.email, owner.password, '198.51.100.1'));
    // …but the owner from another network is not held up.
    expect((await login(owner.email, owner.password, '203.0.113.9')).statusCode).toBe(200);
  });

  it('answers an unknown address exactly like an account (no enumeration)', async () => {
    const owner = await createUser(t, {});
    const strip = (response: InjectResponse) => ({
      status: response.statusCode,
      retryAfter: response.headers['retry-after'],
      error: { ...response.json().error, requestId: '' },
    });
    for (let i = 0; i < ACCOUNT_AND_NETWORK.free + 2; i++) {
      const known = await login(owner.email, `guess ${i}`, '198.51.100.2');
      const unknown = await login('nobody@example.test', `guess ${i}`, '198.51.100.2');
      expect(strip(known)).toEqual(strip(unknown));
    }
  });

  it('makes each further try wait twice as long, and forgets a network after a right password', async () => {
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    const owner = await createUser(t, {});
    const ip = '198.51.100.3';
    for (let i = 0; i < ACCOUNT_AND_NETWORK.free; i++) {
      expect((await login(owner.email, 'wrong', ip)).statusCode).toBe(401);
    }
    const waits = [];
    for (let round = 0; round < 3; round++) {
      const wait = retryAfter(await login(owner.email, 'wrong', ip));
      waits.push(wait);
      vi.setSystemTime(Date.now() + wait * 1000);
      expect((await login(owner.email, 'wrong', ip)).statusCode).toBe(401);
    }
    expect(waits).toEqual([30, 60, 120]);
    vi.setSystemTime(Date.now() + 240_000);
    expect((await login(owner.email, owner.password, ip)).statusCode).toBe(200);
    // The right password cleared this network's record: the free attempts are back.
    for (let i = 0; i < ACCOUNT_AND_NETWORK.free; i++) {
      expect((await login(owner.email, 'wrong again', ip)).statusCode).toBe(401);
    }
  });

  it('slows an account down for every network after many failures, and mails the owner a single-use way in', async () => {
    const owner = await createUser(t, {});
    // A guesser spread over many networks, a few tries from each: no network is throttled.
    for (let i = 0; i < ACCOUNT.free; i++) {
      expect((await login(owner.email, `guess ${i}`, `192.0.2.${10 + (i % 10)}`)).statusCode).toBe(
        401,
      );
    }
    const refused = await login(owner.email, owner.password, '203.0.113.50');
    expect(retryAfter(refused)).toBe(15);
    expect(refused.json().error.message).toBe(
      'Too many failed sign-in attempts for this account. Try again in 15 seconds, or use the ' +
        'link we email to the account to sign in without waiting.',
    );
    // An unknown address under the same attack answers the same, and nobody is mailed.
    for (let i = 0; i < ACCOUNT.free; i++) {
      await login('ghost@example.test', `guess ${i}`, `192.0.2.${10 + (i % 10)}`);
    }
    const ghost = await login('ghost@example.test', 'anything at all', '203.0.113.50');
    expect(ghost.json().error.message).toBe(refused.json().error.message);

    const token = await tokenFromLastMail(t, owner.email, {
      subject: 'Sign-in to your account is being slowed down',
      param: 'unlock',
    });
    expect((await lastMailTo(t, owner.email))?.text).toContain(
      `${t.config.publicUrl}/login?unlock=`,
    );
    // The link does not open the door by itself: a wrong password is still refused.
    const wrong = await login(owner.email, 'still a wrong guess', '203.0.113.50', token);
    expect(wrong.statusCode).toBe(401);
    // The link is for this account only: it lets nothing else through.
    retryAfter(await login('ghost@example.test', 'anything at all', '203.0.113.50', token));
    const inside = await login(owner.email, owner.password, '203.0.113.50', token);
    expect(inside.statusCode).toBe(200);
    // Single use: the same link again is refused like no link at all.
    retryAfter(await login(owner.email, owner.password, '203.0.113.51', token));
    expect(await lastMailTo(t, 'ghost@example.test')).toBeUndefined();
    const { rows } = await t.database.pool.query(
      `select token_hash from account_tokens where purpose = 'unlock_login'`,
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('login throttle shared through Redis', () => {
  const prefix = `bastion-test:${randomUUID()}:`;
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    const shared = { ...env, REDIS_URL, REDIS_KEY_PREFIX: prefix };
    first = await createTestApp({ env: shared });
    second = await createTestApp({ env: shared });
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it('counts failures at two servers together, and keeps no address in Redis', async () => {
    // Both servers have their own database; the address is what the throttle counts.
    const email = 'shared.victim@example.test';
    const servers = [first, second];
    for (let i = 0; i < ACCOUNT_AND_NETWORK.free; i++) {
      const response = await loginWith(servers[i % 2]!)(email, `guess ${i}`, '198.51.100.7');
      expect(response.statusCode).toBe(401);
    }
    for (const server of servers) {
      expect(retryAfter(await loginWith(server)(email, 'guess', '198.51.100.7'))).toBe(30);
    }
    expect((await loginWith(second)(email, 'guess', '198.51.100.8')).statusCode).toBe(401);
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${prefix}login-throttle:*`);
    redis.disconnect();
    expect(keys.length).toBe(3);
    expect(keys.join(' ')).not.toContain('shared.victim');
  });
});

describe('login throttle with Redis unreachable', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Nothing listens on port 1: every Redis call fails at once.
    t = await createTestApp({ env: { ...env, REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => t.close());

  it('keeps throttling, in this process, instead of failing sign-in', async () => {
    const owner = await createUser(t, {});
    const login = loginWith(t);
    const statuses = [];
    for (let i = 0; i <= ACCOUNT_AND_NETWORK.free; i++) {
      statuses.push((await login(owner.email, 'wrong', '198.51.100.9')).statusCode);
    }
    expect(statuses).toEqual([...Array(ACCOUNT_AND_NETWORK.free).fill(401), 429]);
    expect((await login(owner.email, owner.password, '198.51.100.10')).statusCode).toBe(200);
  });
});
