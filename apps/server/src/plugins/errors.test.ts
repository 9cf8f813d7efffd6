import { errorResponseSchema } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from '../../test/app.js';
import { fieldError } from '../http/errors.js';

function testRoutes(app: TestApp['app']) {
  app.post(
    '/api/test/people',
    {
      config: { access: 'public' },
      schema: {
        body: z.object({ name: z.string().min(2), email: z.email() }),
        response: { 201: z.object({ ok: z.boolean() }) },
      },
    },
    async (_request, reply) => reply.code(201).send({ ok: true }),
  );
  app.get('/api/test/crash', { config: { access: 'public' } }, async () => {
    throw new Error('secret connection string postgres://user:pw@db');
  });
  app.get('/api/test/taken', { config: { access: 'public' } }, async () => {
    throw fieldError('email', 'This email is already registered.', 'taken');
  });
}

describe('one error shape', () => {
  let dev: TestApp;
  let prod: TestApp;
  beforeAll(async () => {
    dev = await createTestApp({ routes: testRoutes });
    prod = await createTestApp({
      routes: testRoutes,
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: 'p'.repeat(8) + 'roduction-secret-0123456789-abc',
        DATABASE_URL: 'postgres://x@y/z',
      },
    });
  });
  afterAll(async () => {
    await dev.close();
    await prod.close();
  });

  it('answers unknown /api paths with a JSON 404 carrying the request id', async () => {
    const response = await dev.app.inject({ url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error.code).toBe('not_found');
    expect(body.error.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers invalid bodies with 400 and one entry per offending field', async () => {
    const response = await dev.app.inject({
      method: 'POST',
      url: '/api/test/people',
      payload: { name: 'x', email: 'not-an-email' },
    });
    expect(response.statusCode).toBe(400);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details?.map((d) => d.path)).toEqual([['name'], ['email']]);
    expect(body.error.details?.every((d) => d.message.length > 0)).toBe(true);
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const response = await dev.app.inject({
      method: 'POST',
      url: '/api/test/people',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema.parse(response.json()).error.code).toBe('invalid_json');
  });

  it('passes service-level field errors through unchanged', async () => {
    const response = await dev.app.inject({ url: '/api/test/taken' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details).toEqual([
      { path: ['email'], message: 'This email is already registered.', code: 'taken' },
    ]);
  });

  it('hides internal error detail in production', async () => {
    const response = await prod.app.inject({ url: '/api/test/crash' });
    expect(response.statusCode).toBe(500);
    const body = errorResponseSchema.parse(response.json());
    expect(body.error).toEqual({
      code: 'internal_error',
      message: 'Internal server error.',
      requestId: response.headers['x-request-id'],
    });
    expect(response.body).not.toContain('postgres://');
    expect(response.body).not.toMatch(/at .*\.ts:\d+/);
  });

  it('shows the error message, never a stack, in development', async () => {
    const response = await dev.app.inject({ url: '/api/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json().error.message).toContain('Internal server error: secret connection');
    expect(response.body).not.toContain('.ts:');
  });
});
