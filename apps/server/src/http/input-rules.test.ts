import { API_SCOPES, errorResponseSchema } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createApiKey, createUser, loginAs } from '../../test/auth.js';

// The input rules of docs/security.md, route by route where the issue saw them fail: a text
// PostgreSQL cannot store is a 400 naming the field (it was a 500: 22021 invalid byte sequence),
// a number past its bound is refused (it was a 500: 22P02 / 22003), and so on.

let t: TestApp;
let admin: Record<string, string>;
let key: string;
let leadId: number;

beforeAll(async () => {
  t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_15MIN: '1000' } });
  admin = await loginAs(t, await createUser(t, { role: 'admin' }));
  key = await createApiKey(t, Object.keys(API_SCOPES));
  const lead = await t.app.inject({
    method: 'POST',
    url: '/api/v1/leads',
    headers: admin,
    payload: { full_name: 'Ada Lovelace', email: 'ada@example.com' },
  });
  leadId = lead.json().id;
});
afterAll(() => t.close());

function expectFieldRefused(
  response: { statusCode: number; json(): unknown },
  field: (string | number)[],
) {
  expect(response.statusCode).toBe(400);
  const { error } = errorResponseSchema.parse(response.json());
  expect(error.code).toBe('validation_failed');
  expect(error.details?.map((detail) => detail.path)).toContainEqual(field);
  expect(error.details?.find((d) => d.path.join() === field.join())?.message).toMatch(
    /cannot be stored/,
  );
}

const queries: [string, string[]][] = [
  ['/api/v1/leads?owner_id=%00', ['owner_id']],
  ['/api/v1/leads?search=a%00b', ['search']],
  ['/api/v1/leads?status=%00', ['status']],
  ['/api/v1/leads?page=%00', ['page']],
  ['/api/v1/leads/export?category=%00', ['category']],
  ['/api/v1/admin/resources/users?q=%00', ['q']],
  ['/api/v1/admin/resources/audit-events?filters=%00', ['filters']],
  [
    `/api/v1/admin/resources/audit-events?filters=${encodeURIComponent('{"actor":"a\\u0000"}')}`,
    ['filters', 'actor'],
  ],
  [
    `/api/v1/admin/resources/mail-outbox?filters=${encodeURIComponent('{"to":"\\u0000"}')}`,
    ['filters', 'to'],
  ],
  ['/api/jobs?queue=%00', ['queue']],
  ['/api/jobs?job=%00', ['job']],
  ['/api/v1/newsletter/subscribers?search=%00', ['search']],
];

const bodies: [string, string, () => string, Record<string, unknown>, (string | number)[]][] = [
  [
    'POST',
    'lead create',
    () => '/api/v1/leads',
    { full_name: 'A\u0000da', email: 'a@example.com' },
    ['full_name'],
  ],
  [
    'POST',
    'lead create (tag)',
    () => '/api/v1/leads',
    { full_name: 'Ada', email: 'a@example.com', tags: ['x\u0000'] },
    ['tags', '0'],
  ],
  ['PATCH', 'lead update', () => `/api/v1/leads/${leadId}`, { notes: 'x\u0000' }, ['notes']],
  ['POST', 'lead note', () => `/api/v1/leads/${leadId}/notes`, { message: 'x\u0000' }, ['message']],
  ['PATCH', 'profile', () => '/api/v1/users/me', { displayName: 'x\u0000' }, ['displayName']],
  ['PATCH', 'profile (bio)', () => '/api/v1/users/me', { bio: '\u0000' }, ['bio']],
  [
    'PATCH',
    'profile (avatar)',
    () => '/api/v1/users/me',
    { avatarUrl: 'https://example.com/\u0000' },
    ['avatarUrl'],
  ],
  [
    'POST',
    'token',
    () => '/api/v1/users/me/tokens',
    { name: 'x\u0000', scopes: ['leads:read'] },
    ['name'],
  ],
  [
    'POST',
    'API key',
    () => '/api/v1/admin/resources/api-keys',
    { name: 'x\u0000', scopes: ['leads:read'] },
    ['name'],
  ],
  [
    'POST',
    'newsletter subscribe',
    () => '/api/v1/newsletter/subscribe',
    { email: 'n@example.com', full_name: 'x\u0000' },
    ['full_name'],
  ],
  [
    'POST',
    'schedule payload',
    () => '/api/jobs/schedules',
    { name: 'nul', cron: '* * * * *', job: 'x', payload: { a: 'x\u0000' } },
    ['payload', 'a'],
  ],
];

describe('text PostgreSQL cannot store', () => {
  it.each(queries)('GET %s is a 400 naming the parameter', async (url, field) => {
    expectFieldRefused(await t.app.inject({ url, headers: admin }), field);
  });

  it('POST /api/v1/leads/imports?filename=… is a 400 naming the parameter', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/imports?filename=a%00.csv',
      headers: { ...admin, 'content-type': 'text/csv' },
      payload: 'full_name,email\nAda Lovelace,ada@example.com\n',
    });
    expectFieldRefused(response, ['filename']);
  });

  it("is refused for an API key client too (the issue's repro)", async () => {
    const response = await t.app.inject({
      url: '/api/v1/leads?owner_id=%00',
      headers: { authorization: key },
    });
    expectFieldRefused(response, ['owner_id']);
  });

  it.each(bodies)(
    '%s %s: U+0000 is a 400 naming the field',
    async (method, _name, url, body, field) => {
      const response = await t.app.inject({
        method: method as 'POST',
        url: url(),
        headers: admin,
        payload: body,
      });
      expectFieldRefused(response, field);
    },
  );

  it.each(bodies)(
    '%s %s: a lone surrogate is a 400 naming the field',
    async (method, _name, url, body, field) => {
      // Same body with the NUL replaced by a lone high surrogate (it would be stored as U+FFFD).
      const payload = JSON.stringify(body).replaceAll('\\u0000', '\\ud800');
      const response = await t.app.inject({
        method: method as 'POST',
        url: url(),
        headers: { ...admin, 'content-type': 'application/json' },
        payload,
      });
      expectFieldRefused(response, field);
    },
  );

  it('signup answers the same for a new and an existing email when the name holds U+0000', async () => {
    const existing = await createUser(t);
    const signup = (email: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: { email, password: 'a long enough passphrase 42', displayName: 'Eve\u0000' },
      });
    const [known, unknown] = [await signup(existing.email), await signup('new-person@example.com')];
    expect(known.statusCode).toBe(400);
    expect(unknown.statusCode).toBe(known.statusCode);
    const strip = (body: unknown) => {
      const { error } = errorResponseSchema.parse(body);
      return { code: error.code, message: error.message, details: error.details };
    };
    expect(strip(unknown.json())).toEqual(strip(known.json()));
    expect(known.json().error.details[0].path).toEqual(['displayName']);
  });
});

describe('bounded numbers', () => {
  it.each([
    '99999999999999999999999',
    '9999999999999999999999999999999999999999',
    '190000000000000000',
  ])('GET /api/v1/leads?page=%s is a DRF 404 "Invalid page."', async (page) => {
    const response = await t.app.inject({ url: `/api/v1/leads?page=${page}`, headers: admin });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      detail: 'Invalid page.',
      error: { code: 'not_found' },
    });
  });

  it('keeps DRF page rules below the bound: the last page is 200, one past it 404', async () => {
    expect((await t.app.inject({ url: '/api/v1/leads?page=1', headers: admin })).statusCode).toBe(
      200,
    );
    const past = await t.app.inject({ url: '/api/v1/leads?page=9007199254740991', headers: admin });
    expect(past.statusCode).toBe(404);
  });

  it.each([
    ['/api/v1/newsletter/subscribers?page=9007199254740991', ['page']],
    ['/api/v1/newsletter/subscribers?page_size=201', ['page_size']],
    ['/api/v1/admin/resources/users?limit=201', ['limit']],
    ['/api/v1/admin/resources/audit-events?limit=1e400', ['limit']],
    ['/api/jobs?limit=1e400', ['limit']],
    ['/api/v1/leads/9007199254740992/timeline', ['id']],
  ] as const)('GET %s is a 400 naming the parameter', async (url, field) => {
    const response = await t.app.inject({ url, headers: admin });
    expect(response.statusCode).toBe(400);
    expect(errorResponseSchema.parse(response.json()).error.details?.[0]?.path).toEqual(field);
  });

  it('refuses a deal value the numeric(14,2) column cannot hold (it was a 500)', async () => {
    const create = (value: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers: admin,
        payload: { full_name: 'Big Deal', email: `big${value}@example.com`, value },
      });
    const tooBig = await create(1e12);
    expect(tooBig.statusCode).toBe(400);
    expect(errorResponseSchema.parse(tooBig.json()).error.details?.[0]?.path).toEqual(['value']);
    expect((await create(999_999_999_999.99)).statusCode).toBe(201);
  });
});
