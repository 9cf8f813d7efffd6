import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Writable } from 'node:stream';
import * as Sentry from '@sentry/node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { freePort } from '../../test/global-setup.js';
import { startSentryCapture, type SentryCapture } from '../../test/sentry-capture.js';
import type { SerializedError } from '../error-serializer.js';
import { loggerOptions } from '../logger.js';
import { apiTokens, users } from '../modules/accounts/schema.js';
import { initSentry } from './sentry.js';

// Values only the failing statements carry: if one shows up in a log line or a Sentry event,
// a query parameter or a row value leaked. Random, so no source line (Sentry sends the lines
// around each frame) can contain them.
const marker = `mk${randomBytes(6).toString('hex')}`;
const email = `${marker}@example.test`;
const passwordHash = `$argon2id$v=19$m=19456,t=2,p=1$${marker}salt$${marker}hash`;
const tokenHash = `${marker}tokenhash`;

describe('what a failed insert leaves in the logs and in Sentry', () => {
  const lines: string[] = [];
  let sentry: SentryCapture;
  let t: TestApp;

  beforeAll(async () => {
    sentry = await startSentryCapture();
    const closedPort = await freePort();
    // The production setup (Sentry is off under NODE_ENV=test, so ask for another environment).
    await initSentry({ sentryDsn: sentry.dsn, env: 'production', version: 'test' });
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const options = loggerOptions({ logLevel: 'info', logFormat: 'json', version: 'test' });
    t = await createTestApp({
      logger: pino(options, sink),
      routes(app) {
        // Signing up twice with one address: 23505 on users_email_lower_key, whose detail
        // quotes the address, while Drizzle's message lists the address and the hash.
        app.post('/api/test/insert-user-twice', { config: { access: 'public' } }, async () => {
          await app.db.insert(users).values({ email, passwordHash });
          await app.db.insert(users).values({ email: email.toUpperCase(), passwordHash });
          return { ok: true };
        });
        // A malformed uuid: PostgreSQL quotes the rejected value in the message itself.
        app.post('/api/test/insert-token', { config: { access: 'public' } }, async () => {
          await app.db.insert(apiTokens).values({
            userId: `${marker}-not-a-uuid`,
            name: 'ci',
            tokenHash,
            last4: 'abcd',
            scopes: [],
          });
          return { ok: true };
        });
        // A database that refuses connections: an outage, answered 503.
        app.get('/api/test/database-away', { config: { access: 'public' } }, async () => {
          const pool = new pg.Pool({
            host: '127.0.0.1',
            port: closedPort,
            user: 'x',
            database: 'x',
          });
          try {
            return await pool.query('SELECT 1');
          } finally {
            await pool.end();
          }
        });
        // Code that logs an error without a message of its own (pino then takes the error's).
        app.post('/api/test/log-bare-error', { config: { access: 'public' } }, async (request) => {
          await app.db
            .insert(users)
            .values({ email, passwordHash })
            .catch((error: unknown) => {
              request.log.error(error as Error);
              // What Fastify's fallback error handler does.
              request.log.error({ err: error }, (error as Error).message);
            });
          return { ok: true };
        });
      },
    });
  });

  afterAll(async () => {
    await t?.close();
    await Sentry.close(2000);
    await sentry?.close();
  });

  async function sentryEvents(count: number) {
    await Sentry.flush(5000);
    await expect
      .poll(() => sentry.events().length, { timeout: 5000 })
      .toBeGreaterThanOrEqual(count);
    return sentry.events();
  }

  interface Line {
    msg?: string;
    err?: SerializedError;
  }
  const logged = () => lines.map((line) => JSON.parse(line) as Line);

  it('logs the SQLSTATE, constraint and table of a failed signup insert, never the email or hash', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/test/insert-user-twice' });
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain(marker);

    const failed = logged().find((line) => line.msg === 'request failed');
    expect(failed?.err).toMatchObject({
      type: 'DrizzleQueryError',
      code: '23505',
      message: expect.stringContaining('duplicate key value violates unique constraint'),
      cause: {
        type: 'DatabaseError',
        code: '23505',
        constraint: 'users_email_lower_key',
        table: 'users',
      },
    });
    expect(failed?.err?.stack).toMatch(/\n\s+at /);
    expect(lines.join('')).not.toContain(marker);

    const events = await sentryEvents(1);
    const event = JSON.stringify(events);
    expect(event).toContain('duplicate key value violates unique constraint');
    expect(event).toContain('"type":"DrizzleQueryError"');
    expect(event).not.toContain(marker);
    expect(sentry.envelopes.join('')).not.toContain(marker);
  });

  it('keeps a value PostgreSQL quotes in its own message out too (a token insert with a bad uuid)', async () => {
    const before = sentry.events().length;
    const response = await t.app.inject({ method: 'POST', url: '/api/test/insert-token' });
    expect(response.statusCode).toBe(500);
    const failed = logged()
      .filter((line) => line.msg === 'request failed')
      .at(-1);
    expect(failed?.err).toMatchObject({
      code: '22P02',
      cause: { message: 'invalid_text_representation (SQLSTATE 22P02)' },
    });
    expect(lines.join('')).not.toContain(marker);
    const events = await sentryEvents(before + 1);
    expect(JSON.stringify(events)).toContain('invalid_text_representation (SQLSTATE 22P02)');
    expect(sentry.envelopes.join('')).not.toContain(marker);
  });

  it('gives an error logged without a message, or with its own, the safe message instead', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/api/test/log-bare-error' });
    expect(response.statusCode).toBe(200);
    const bare = logged().filter(
      (entry) => entry.err?.code === '23505' && entry.msg !== 'request failed',
    );
    expect(bare).toHaveLength(2);
    for (const line of bare) {
      expect(line.msg).toMatch(/^Failed query: duplicate key value violates unique constraint/);
    }
    expect(lines.join('')).not.toContain(marker);
  });

  it('answers an outage 503 and logs it as a warning, without a Sentry event per request', async () => {
    await Sentry.flush(5000);
    const before = sentry.events().length;
    const response = await t.app.inject({ url: '/api/test/database-away' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    const line = logged().find((entry) => entry.msg === 'request failed: service unavailable');
    expect(line?.err).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    // Something that is reported, after it: once it has arrived, the outage would have too.
    await t.app.inject({ method: 'POST', url: '/api/test/insert-token' });
    const events = await sentryEvents(before + 1);
    expect(events).toHaveLength(before + 1);
    expect(JSON.stringify(events.slice(before))).toContain('22P02');
  });
});
