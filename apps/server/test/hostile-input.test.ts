import { API_SCOPES, errorResponseSchema } from '@bastion/contract';
import fc from 'fast-check';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './app.js';
import { createApiKey, createUser, loginAs, type TestUser } from './auth.js';
import {
  buildRequest,
  closeClient,
  send,
  type HostileRequest,
  type Outcome,
} from './hostile-input/client.js';
import {
  operationsOf,
  type Field,
  type OpenApiDocument,
  type Operation,
} from './hostile-input/operations.js';
import { RawJson, valuesForBody, valuesForUrl, type Hostile } from './hostile-input/values.js';

// Walks the app's own OpenAPI document and sends every operation boundary values (one hostile
// field at a time, then random combinations), anonymously, with an API key and as an admin.
// Fails on any 5xx, hang or dropped connection, on a 4xx outside the one error shape, and on a
// value the contract must refuse (NUL, a lone surrogate, past a bound) that was accepted.
// `npm test` runs it with a fixed seed and few random runs; `npm run fuzz` with many and a new
// seed each time (FUZZ_SEED=… replays one).

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
/** `npm run fuzz` sends every case; `npm test` the must-refuse ones and a seeded fifth of the rest. */
const EVERY_CASE = process.env.FUZZ_EVERY_CASE === '1';
const TIMEOUT_MS = 10_000;

/** mulberry32: a small seeded generator, so `npm test` samples the same cases every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = Math.imul(state ^ (state >>> 15), 1 | state);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let t: TestApp;
let port: number;
let admin: TestUser;
let apiKey: string;
let operations: Operation[];

interface Identity {
  name: string;
  headers(): Promise<Record<string, string>>;
}
const identities: Identity[] = [
  { name: 'anonymous', headers: async () => ({}) },
  { name: 'api key', headers: async () => ({ authorization: apiKey }) },
  // A new session each time: the fuzz may sign out or change the admin's password.
  { name: 'admin', headers: async () => loginAs(t, admin) },
];

interface Failure {
  case: string;
  problem: string;
}
const failures: Failure[] = [];

/** Checks one answer; returns the problem, if any. */
function problemOf(outcome: Outcome, mustRefuse: boolean): string | undefined {
  if (outcome.failure) return `${outcome.failure}: ${outcome.detail}`;
  const status = outcome.status!;
  if (status >= 500) return `${status} ${outcome.body?.slice(0, 300)}`;
  if (mustRefuse && status < 400) return `accepted (${status}) a value it must refuse`;
  if (status >= 400 && !outcome.contentType?.includes('application/json')) {
    return `${status} without a JSON error body (${outcome.contentType})`;
  }
  if (status >= 400) {
    const parsed = errorResponseSchema.safeParse(JSON.parse(outcome.body ?? 'null'));
    if (!parsed.success) return `${status} outside the error shape: ${outcome.body?.slice(0, 200)}`;
  }
  return undefined;
}

async function attempt(
  label: string,
  request: HostileRequest,
  identity: { name: string; headers: Record<string, string> },
  mustRefuse: boolean,
): Promise<Outcome> {
  const outcome = await send(port, request, identity.headers, TIMEOUT_MS);
  const problem = problemOf(outcome, mustRefuse);
  if (problem) failures.push({ case: `${label} as ${identity.name}`, problem });
  return outcome;
}

/** Runs `work` over `items`, a few at a time (as many as the client's sockets). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<unknown>, width = 4) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: width }, lane));
}

const one = (field: Field, value: unknown) => new Map<Field, unknown>([[field, value]]);
const fieldsOf = (operation: Operation) => [...operation.params, ...(operation.body?.fields ?? [])];
const valuesOf = (field: Field) =>
  field.in === 'body' ? valuesForBody(field) : valuesForUrl(field);

interface Case {
  note: string;
  request: HostileRequest;
  refused: boolean;
}

/** Whole bodies that attack the parser rather than a field. */
function bodyCases(operation: Operation): Case[] {
  if (!operation.body) return [];
  const make = (note: string, body: Buffer | RawJson, refused: boolean, contentType?: string) => ({
    note,
    refused,
    request: buildRequest(operation, new Map(), { body, ...(contentType ? { contentType } : {}) }),
  });
  if (!operation.body.json) {
    return [
      make('an empty file', Buffer.from(''), true),
      make('NUL in a cell', Buffer.from('full_name,email\nAda\u0000,a@example.com\n'), false),
      make('invalid UTF-8', Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0xff, 0xfe, 0x0a]), false),
      make('an unclosed quote', Buffer.from('full_name,email\n"Ada,a@example.com\n'), false),
      make('a 10 kB cell', Buffer.from(`full_name,email\n${'x'.repeat(10_240)},a@b.co\n`), false),
      make('2,000 columns', Buffer.from(`${'c,'.repeat(2000)}email\n`), false),
      make('a formula', Buffer.from('full_name,email\n"=HYPERLINK(""x"")",f@example.com\n'), false),
    ];
  }
  return [
    make('an empty body', Buffer.from(''), true),
    make('an array body', new RawJson('[]'), true),
    make('a string body', new RawJson('"text"'), true),
    make('a null body', new RawJson('null'), false),
    make('arrays nested 10,000 deep', new RawJson('['.repeat(10_000) + ']'.repeat(10_000)), true),
    make('a __proto__ body', new RawJson('{"__proto__":{"isAdmin":true}}'), true),
    make('a truncated body', new RawJson('{"a":'), true),
    make(
      'invalid UTF-8',
      Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
      true,
    ),
    make('a 2 MB body', Buffer.from(`{"a":"${'x'.repeat(2 * 1024 * 1024)}"}`), true),
    make('JSON sent as text/plain', new RawJson('{}'), true, 'text/plain'),
    make(
      'a form body',
      Buffer.from('token=abc&__proto__=1'),
      false,
      'application/x-www-form-urlencoded',
    ),
  ];
}

function fieldCases(operation: Operation): Case[] {
  const cases: Case[] = [];
  for (const field of fieldsOf(operation)) {
    for (const hostile of valuesOf(field)) {
      cases.push({
        note: `${field.in} ${field.name}: ${hostile.note}`,
        refused: hostile.refused ?? false,
        request: buildRequest(operation, one(field, hostile.value)),
      });
    }
  }
  for (const key of ['__proto__', 'constructor', 'toString']) {
    cases.push({
      note: `query key ${key}`,
      refused: false,
      request: buildRequest(operation, new Map(), { query: `${key}=1` }),
    });
  }
  return cases;
}

beforeAll(async () => {
  t = await createTestApp({
    env: {
      RATE_LIMIT_PER_MINUTE: '0',
      AUTH_RATE_LIMIT_PER_15MIN: '1000000',
      LEADS_CREATE_LIMIT_PER_IP: '1000000',
      LEADS_CREATE_LIMIT_PER_KEY: '1000000',
    },
  });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  port = (t.app.server.address() as AddressInfo).port;
  admin = await createUser(t, { role: 'admin' });
  apiKey = await createApiKey(t, Object.keys(API_SCOPES));
  const document = (await t.app.inject({ url: '/api/openapi.json' })).json<OpenApiDocument>();
  operations = operationsOf(document);
}, 60_000);

afterAll(async () => {
  closeClient();
  await t?.close();
});

describe('hostile input, operation by operation', () => {
  it('finds the operations to attack in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(operations.map((operation) => operation.label)).toContain('GET /api/v1/leads');
  });

  it('answers every boundary value of every field without a 5xx, hang or dropped connection', async () => {
    const sample = seeded(SEED);
    for (const operation of operations) {
      const cases = [...fieldCases(operation), ...bodyCases(operation)].filter(
        (item) => EVERY_CASE || item.refused || sample() < 0.2,
      );
      for (const identity of identities) {
        const as = { name: identity.name, headers: await identity.headers() };
        const baseline = await send(
          port,
          buildRequest(operation, new Map()),
          as.headers,
          TIMEOUT_MS,
        );
        // An identity the route turns away gets the parser attacks and the NUL cases only.
        const turnedAway = baseline.status === 401 || baseline.status === 403;
        const chosen = turnedAway
          ? cases.filter((item) => !item.note.includes(':') || item.note.endsWith('NUL'))
          : cases;
        await inParallel(chosen, (item) =>
          attempt(`${operation.label} ${item.note}`, item.request, as, item.refused),
        );
      }
    }
    expect(failures.slice(0, 40)).toEqual([]);
  }, 600_000);

  it(`survives ${RUNS} random combinations (seed ${SEED})`, async () => {
    failures.length = 0;
    const hostileOf = (field: Field) =>
      fc.oneof(
        fc.constantFrom(...valuesOf(field)),
        fc
          .oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.jsonValue({ maxDepth: 3 }))
          .map((value): Hostile => ({ value, note: 'random' })),
      );
    const scenario = fc.constantFrom(...operations).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        identity: fc.constantFrom(...identities),
        picks: fc.tuple(
          ...fieldsOf(operation).map((field) =>
            fc.option(
              hostileOf(field).map((hostile) => [field, hostile] as const),
              { nil: undefined },
            ),
          ),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(scenario, async ({ operation, identity, picks }) => {
        const chosen = picks.filter((pick) => pick !== undefined);
        const overrides = new Map(chosen.map(([field, hostile]) => [field, hostile.value]));
        const refused = chosen.some(([, hostile]) => hostile.refused);
        const notes = chosen.map(([field, hostile]) => `${field.name}: ${hostile.note}`).join(', ');
        const before = failures.length;
        const as = { name: identity.name, headers: await identity.headers() };
        await attempt(
          `${operation.label} {${notes}}`,
          buildRequest(operation, overrides),
          as,
          refused,
        );
        return failures.length === before;
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    expect(failures).toEqual([]);
  }, 600_000);

  it('is still ready afterwards', async () => {
    const ready = await t.app.inject({ url: '/api/ready' });
    expect(ready.statusCode).toBe(200);
  });
});
