import { errorResponseSchema } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../test/app.js';

// Requests broken below the schemas: a URL that does not decode, a body that is not UTF-8.
// Both get the one error shape like everything else, never the framework's own body, and a
// body is never "repaired" into something the client did not send.

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    routes: (app) =>
      app.post(
        '/api/test/echo',
        { config: { access: 'public' }, schema: { body: z.object({ name: z.string() }) } },
        async (request) => request.body,
      ),
  });
});
afterAll(() => t.close());

describe('a malformed URL', () => {
  it.each(['/api/%', '/api/v1/leads/%', '/api/v1/leads/%zz/timeline'])(
    'GET %s answers 400 bad_url in the one error shape, with the usual headers',
    async (url) => {
      const response = await t.app.inject({ url });
      expect(response.statusCode).toBe(400);
      const body = errorResponseSchema.parse(response.json());
      expect(body.error.code).toBe('bad_url');
      expect(body.error.requestId).toBe(response.headers['x-request-id']);
      expect(response.headers['content-security-policy']).toContain("default-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    },
  );

  it('answers a path parameter over 100 characters with 414 in the error shape', async () => {
    const response = await t.app.inject({ url: `/api/v1/leads/${'1'.repeat(101)}` });
    expect(response.statusCode).toBe(414);
    expect(errorResponseSchema.parse(response.json()).error.code).toBe('uri_too_long');
  });
});

describe('the JSON body encoding', () => {
  const post = (payload: Buffer) =>
    t.app.inject({
      method: 'POST',
      url: '/api/test/echo',
      headers: { 'content-type': 'application/json' },
      payload,
    });

  it('refuses invalid UTF-8 with 400 instead of storing U+FFFD', async () => {
    // {"name":"\xff\xfeAB"}: two bytes that are no UTF-8 at all.
    const bytes = Buffer.concat([
      Buffer.from('{"name":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('AB"}'),
    ]);
    const response = await post(bytes);
    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema.parse(response.json()).error.code).toBe('invalid_encoding');
  });

  it('refuses an overlong encoding and a UTF-8-encoded surrogate (CESU-8)', async () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
    ]) {
      const response = await post(
        Buffer.concat([Buffer.from('{"name":"'), Buffer.from(bad), Buffer.from('"}')]),
      );
      expect(response.statusCode).toBe(400);
    }
  });

  it('still reads valid UTF-8, multi-byte and astral characters included', async () => {
    const response = await post(Buffer.from(JSON.stringify({ name: 'Zoë 😀 Ω' })));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ name: 'Zoë 😀 Ω' });
  });

  it('keeps refusing prototype-poisoning keys and empty bodies', async () => {
    const poisoned = await post(Buffer.from('{"name":"x","__proto__":{"admin":true}}'));
    expect(poisoned.statusCode).toBe(400);
    const empty = await post(Buffer.from(''));
    expect(empty.statusCode).toBe(400);
    expect(errorResponseSchema.parse(empty.json()).error.code).toBe('invalid_json');
  });
});
