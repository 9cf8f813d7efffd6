import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/app.js';
import { requestId } from './logger.js';

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
