import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { batchedStdout } from './log-destination.js';
import { loggerOptions, requestId } from './logger.js';

describe('request ids', () => {
  const lines: Record<string, unknown>[] = [];
  let t: TestApp;
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    t = await createTestApp({
      logger: pino({ level: 'info' }, sink),
      routes: (app) =>
        app.get('/api/test/log', { config: { access: 'public' } }, async (request) => {
          request.log.info('inside the handler');
          return { ok: true };
        }),
    });
  });
  afterAll(() => t.close());

  it('generates an id, returns it in X-Request-Id and puts it on every log line', async () => {
    const response = await t.app.inject({ url: '/api/test/log' });
    const id = response.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const own = lines.filter((line) => line.requestId === id);
    expect(own.map((line) => line.msg)).toEqual(['inside the handler', 'request completed']);
    expect(own[1]).toMatchObject({ method: 'GET', url: '/api/test/log', statusCode: 200 });
  });

  it('keeps personal query values out of the request line, and paging/filter keys in', async () => {
    const response = await t.app.inject({
      url: '/api/test/log?search=ada%40example.com&page=2&token=secret-link&status=new&flag',
    });
    const own = lines.filter((line) => line.requestId === response.headers['x-request-id']);
    expect(own.at(-1)).toMatchObject({
      url: '/api/test/log?search=…&page=2&token=…&status=new&flag',
    });
    expect(JSON.stringify(own)).not.toMatch(/ada|secret-link/);
  });

  it('propagates a well-formed incoming X-Request-Id', async () => {
    const response = await t.app.inject({
      url: '/api/test/log',
      headers: { 'x-request-id': 'edge-7f3a.42' },
    });
    expect(response.headers['x-request-id']).toBe('edge-7f3a.42');
    expect(lines.some((line) => line.requestId === 'edge-7f3a.42')).toBe(true);
  });

  it('replaces a malformed or oversized incoming id', () => {
    expect(requestId('bad id\nwith newline')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId('x'.repeat(65))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestId(['first-id', 'second'])).toBe('first-id');
  });
});

describe('log redaction', () => {
  function capture() {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    });
    const options = loggerOptions({ logLevel: 'info', logFormat: 'json', version: 'test' });
    return { lines, logger: pino(options, sink) };
  }

  it('censors credentials in logged request headers', () => {
    const { lines, logger } = capture();
    logger.info({
      req: { headers: { authorization: 'Api-Key secret', cookie: 'a=b', host: 'x' } },
    });
    expect(lines[0]).toMatchObject({
      req: { headers: { authorization: '[redacted]', cookie: '[redacted]', host: 'x' } },
    });
  });

  it('censors password and token fields one level down, leaving the caller’s object alone', () => {
    const { lines, logger } = capture();
    const data = { email: 'a@example.com', password: 'hunter2hunter2', token: 'bst_abc' };
    logger.info({ data, count: 3 }, 'with secrets');
    expect(lines[0]).toMatchObject({
      data: { email: 'a@example.com', password: '[redacted]', token: '[redacted]' },
      count: 3,
    });
    expect(data.password).toBe('hunter2hunter2');
    expect(JSON.stringify(lines[0])).not.toContain('hunter2');
  });

  it('keeps an error’s message and stack, and none of its other fields, such as a token', () => {
    const { lines, logger } = capture();
    const err = Object.assign(new Error('mail failed'), { token: 'signed-link-token' });
    logger.error({ err }, 'failed');
    const logged = lines[0]!.err as Record<string, unknown>;
    expect(logged).toMatchObject({ type: 'Error', message: 'mail failed' });
    expect(logged).not.toHaveProperty('token');
    expect(String(logged.stack)).toContain('mail failed');
    expect(JSON.stringify(lines[0])).not.toContain('signed-link-token');
  });
});

describe('batched standard output', () => {
  it('writes the lines of one event-loop turn together, in order, and flushes on demand', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bastion-log-'));
    const file = join(dir, 'out.log');
    const fd = openSync(file, 'w');
    try {
      const out = batchedStdout(fd);
      out.write('one\n');
      out.write('two\n');
      expect(readFileSync(file, 'utf8')).toBe('');
      await new Promise((resolve) => setImmediate(resolve));
      expect(readFileSync(file, 'utf8')).toBe('one\ntwo\n');
      out.write('three\n');
      out.flushSync();
      expect(readFileSync(file, 'utf8')).toBe('one\ntwo\nthree\n');
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
