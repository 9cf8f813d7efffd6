import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createApiKey, createApiToken, createUser, loginAs } from '../../../test/auth.js';
import { leadInput } from './test-support.js';

let t: TestApp;

beforeAll(async () => {
  // A small budget so the throttle is reachable: 3 per IP, 4 per key.
  t = await createTestApp({
    env: { LEADS_CREATE_LIMIT_PER_IP: '3', LEADS_CREATE_LIMIT_PER_KEY: '4' },
  });
});
afterAll(() => t.close());

function createWith(authorization: string, ip = '203.0.113.1', email = 'a@example.com') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/leads',
    remoteAddress: ip,
    headers: { authorization },
    payload: leadInput({ email }),
  });
}

describe('who may use the leads API', () => {
  it('refuses anonymous callers with 401 and wrong keys or schemes with 401', async () => {
    expect((await t.app.inject({ url: '/api/v1/leads' })).statusCode).toBe(401);
    const wrongKey = await t.app.inject({
      url: '/api/v1/leads',
      headers: { authorization: 'Api-Key bsk_not-a-real-key' },
    });
    expect(wrongKey.statusCode).toBe(401);
    const basic = await t.app.inject({
      url: '/api/v1/leads',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(basic.statusCode).toBe(401);
  });

  it('lets staff in, but not ordinary users', async () => {
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    expect((await t.app.inject({ url: '/api/v1/leads', headers: staff })).statusCode).toBe(200);
    const user = await loginAs(t, await createUser(t, { role: 'user' }));
    expect((await t.app.inject({ url: '/api/v1/leads', headers: user })).statusCode).toBe(403);
  });

  it('needs leads:read to read and leads:write to write', async () => {
    const writer = await createApiKey(t, ['leads:write']);
    const reader = await createApiKey(t, ['leads:read']);
    expect(
      (await t.app.inject({ url: '/api/v1/leads', headers: { authorization: writer } })).statusCode,
    ).toBe(403);
    expect(
      (await t.app.inject({ url: '/api/v1/leads', headers: { authorization: reader } })).statusCode,
    ).toBe(200);
    expect((await createWith(reader, '203.0.113.50', 'r@example.com')).statusCode).toBe(403);
    expect((await createWith(writer, '203.0.113.51', 'w@example.com')).statusCode).toBe(201);
  });

  it('accepts a staff member’s API token with the scope, not a user’s', async () => {
    const staff = await createUser(t, { role: 'staff' });
    const token = await createApiToken(t, staff, ['leads:read']);
    expect(
      (await t.app.inject({ url: '/api/v1/leads', headers: { authorization: token } })).statusCode,
    ).toBe(200);
    const user = await createUser(t, { role: 'user' });
    const userToken = await createApiToken(t, user, ['leads:read']);
    expect(
      (await t.app.inject({ url: '/api/v1/leads', headers: { authorization: userToken } }))
        .statusCode,
    ).toBe(403);
  });
});

describe('throttling public lead creation', () => {
  it('allows a client IP its budget per window, then answers 429 with Retry-After', async () => {
    const key = await createApiKey(t, ['leads:write']);
    for (let n = 1; n <= 3; n++) {
      expect((await createWith(key, '198.51.100.7', `ip${n}@example.com`)).statusCode).toBe(201);
    }
    const limited = await createWith(key, '198.51.100.7', 'ip4@example.com');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another visitor of the same website (same key) is not affected.
    expect((await createWith(key, '198.51.100.8', 'other@example.com')).statusCode).toBe(201);
  });

  it('caps a key across all client IPs', async () => {
    const key = await createApiKey(t, ['leads:write']);
    for (let n = 1; n <= 4; n++) {
      expect((await createWith(key, `192.0.2.${n}`, `key${n}@example.com`)).statusCode).toBe(201);
    }
    expect((await createWith(key, '192.0.2.99', 'key5@example.com')).statusCode).toBe(429);
  });

  it('does not throttle staff working in the app', async () => {
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    for (let n = 1; n <= 6; n++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        remoteAddress: '198.51.100.7',
        headers: staff,
        payload: leadInput({ email: `staff${n}@example.com` }),
      });
      expect(response.statusCode).toBe(201);
    }
  });
});

describe('new-lead notification', () => {
  it('mails the sales inbox and the owner, and writes a "created" timeline entry', async () => {
    const app = await createTestApp({ env: { CRM_SALES_INBOX: 'sales@example.com' } });
    try {
      const owner = await createUser(app, { role: 'staff', email: 'owner@example.com' });
      const headers = await loginAs(app, owner);
      const created = await app.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers,
        payload: leadInput({ owner_id: owner.id, company_name: 'Analytical Engines' }),
      });
      expect(created.statusCode).toBe(201);
      const lead = created.json();
      await expect
        .poll(async () => {
          const { rows } = await app.database.pool.query(
            `SELECT "to", subject FROM mail_outbox WHERE subject LIKE 'New lead:%' ORDER BY "to"`,
          );
          return rows;
        })
        .toEqual([
          { to: 'owner@example.com', subject: 'New lead: Ada Lovelace' },
          { to: 'sales@example.com', subject: 'New lead: Ada Lovelace' },
        ]);
      const timeline = await app.app.inject({ url: `/api/v1/leads/${lead.id}/timeline`, headers });
      expect(timeline.json().results).toEqual([
        expect.objectContaining({ kind: 'created', to_status: 'new', actor_id: owner.id }),
      ]);
    } finally {
      await app.close();
    }
  });
});
