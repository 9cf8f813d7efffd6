import { spawn, type ChildProcess } from 'node:child_process';
import { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createApiKey } from '../../test/auth.js';
import { freePort } from '../../test/global-setup.js';
import { loggerOptions } from '../logger.js';
import { leadInput } from '../modules/crm/test-support.js';

/** A Redis of this test's own (never the machine's), without persistence, that it can stop. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const probe = new Redis({ port, lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let attempt = 0; attempt < 100; attempt++) {
    if (
      await probe.connect().then(
        () => true,
        () => false,
      )
    ) {
      probe.disconnect();
      return child;
    }
    await delay(50);
  }
  throw new Error('redis-server did not start');
}

async function stopRedis(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('rate limits backed by Redis', () => {
  const prefix = `bastion-test-${process.pid}:`;
  const lines: Record<string, unknown>[] = [];
  let port: number;
  let server: ChildProcess;
  let redis: Redis;
  let t: TestApp;
  let apiKey: string;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedis(port);
    redis = new Redis({ port });
    redis.on('error', () => undefined);
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    t = await createTestApp({
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: prefix,
        RATE_LIMIT_PER_MINUTE: '5',
        LEADS_CREATE_LIMIT_PER_IP: '2',
      },
      logger: pino(loggerOptions({ logLevel: 'info', logFormat: 'json', version: 'test' }), sink),
    });
    apiKey = await createApiKey(t, ['leads:write']);
  });

  afterAll(async () => {
    await t?.close();
    redis?.disconnect();
    if (server) await stopRedis(server);
  });

  let leads = 0;
  const createLead = (ip: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      remoteAddress: ip,
      headers: { authorization: apiKey },
      payload: leadInput({ email: `lead${++leads}@example.com` }),
    });
  const readState = (ip: string) => t.app.inject({ url: '/api/v1/auth/state', remoteAddress: ip });

  it('answers a throttled lead creation with what is left of the window as Retry-After', async () => {
    const ip = '198.51.100.10';
    expect((await createLead(ip)).statusCode).toBe(201);
    expect((await createLead(ip)).statusCode).toBe(201);
    const limited = await createLead(ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3590); // a fresh 1 h window
    // Later in the window: 7 s left.
    await redis.pexpire(`${prefix}crm:throttle:leads:ip:${ip}`, 7000);
    const later = await createLead(ip);
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe('7');
    expect(later.json().error.code).toBe('rate_limited');
  });

  it('answers the global limit with what is left of the window as Retry-After', async () => {
    const ip = '198.51.100.11';
    for (let n = 0; n < 5; n++) expect((await readState(ip)).statusCode).toBe(200);
    expect((await readState(ip)).statusCode).toBe(429);
    const [key] = await redis.keys(`${prefix}rate-limit:*${ip}`);
    expect(key).toBeDefined();
    await redis.pexpire(key!, 7000);
    const later = await readState(ip);
    expect(later.statusCode).toBe(429);
    expect(later.headers['retry-after']).toBe('7');
  });

  it('keeps limiting in each process while Redis is down, says so once, and shares again once it is back', async () => {
    await stopRedis(server);
    const outage = () => lines.filter((line) => String(line.msg).startsWith('Redis unavailable'));

    // Lead creation by API key: served, then throttled by this process's own counters.
    const ip = '198.51.100.12';
    expect((await createLead(ip)).statusCode).toBe(201);
    expect((await createLead(ip)).statusCode).toBe(201);
    const limited = await createLead(ip);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3590);

    // The global limit the same way.
    const reader = '198.51.100.13';
    for (let n = 0; n < 5; n++) expect((await readState(reader)).statusCode).toBe(200);
    const readLimited = await readState(reader);
    expect(readLimited.statusCode).toBe(429);
    expect(Number(readLimited.headers['retry-after'])).toBeGreaterThan(50);

    // One warning per limiter for the whole outage, not one per request or reconnection.
    expect(
      outage()
        .map((line) => line.limiter)
        .sort(),
    ).toEqual(['crm throttle', 'rate limit']);
    expect(outage().every((line) => line.level === 40)).toBe(true);

    server = await startRedis(port);
    await expect
      .poll(
        async () => {
          await createLead('198.51.100.14');
          return lines.filter((line) => String(line.msg).startsWith('Redis answers again')).length;
        },
        { timeout: 10_000, interval: 250 },
      )
      .toBe(2);
    // The hit that noticed the recovery may still have counted in memory; the next one shares.
    await createLead('198.51.100.15');
    expect(await redis.exists(`${prefix}crm:throttle:leads:ip:198.51.100.15`)).toBe(1);
  });
});
