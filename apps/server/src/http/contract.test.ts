import * as contract from '@bastion/contract';
import type * as FastifyModule from 'fastify';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';

// The contract is complete: every schema a route validates its request with (query, path
// parameters, body) is one that @bastion/contract exports, so the web app types its calls with
// the very schemas the server checks, and no route keeps a private copy to drift from them.

const seen = vi.hoisted(() => [] as RouteOptions[]);
// Every route as registered: the app's Fastify instance gets one more onRoute hook, first.
vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof FastifyModule>();
  // Fastify's factory is overloaded; the wrapper only passes its arguments through.
  const factory = original.default as unknown as (
    ...args: unknown[]
  ) => FastifyModule.FastifyInstance;
  const create = ((...args: unknown[]) => {
    const app = factory(...args);
    app.addHook('onRoute', (route) => void seen.push(route));
    return app;
  }) as typeof original.default;
  return { ...original, default: create };
});

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

it('validates every request with schemas exported by @bastion/contract', () => {
  const exported = new Set<unknown>(Object.values(contract));
  const inline: string[] = [];
  for (const route of seen) {
    const schema = route.schema as Record<string, unknown> | undefined;
    for (const part of ['querystring', 'params', 'body'] as const) {
      if (schema?.[part] !== undefined && !exported.has(schema[part])) {
        inline.push(`${String(route.method)} ${route.url} ${part}`);
      }
    }
  }
  expect(seen.length).toBeGreaterThan(50);
  expect(inline).toEqual([]);
});
