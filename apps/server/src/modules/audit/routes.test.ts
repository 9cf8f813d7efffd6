import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import { recordAudit } from './service.js';

describe('the audit log API', () => {
  let t: TestApp;
  let admin: Record<string, string>;
  let adminEmail: string;
  beforeAll(async () => {
    t = await createTestApp();
    const user = await createUser(t, { role: 'admin', email: 'Auditor@Example.test' });
    adminEmail = user.email;
    admin = await loginAs(t, user);
    await recordAudit(t.app.db, { action: 'cli.ran', actor: 'cli' });
    for (const name of ['one', 'two', 'three']) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/admin/api-keys',
        headers: admin,
        payload: { name, scopes: ['leads:read'] },
      });
      expect(created.statusCode).toBe(201);
    }
  });
  afterAll(() => t.close());

  it('pages through the events newest first, with the total and the acting user’s email', async () => {
    const first = await t.app.inject({
      url: '/api/v1/admin/audit-events?action=api_key.created&limit=2',
      headers: admin,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().total).toBe(3);
    expect(first.json().items.map((e: { data: { name: string } }) => e.data.name)).toEqual([
      'three',
      'two',
    ]);
    expect(first.json().items[0]).toMatchObject({ actorEmail: adminEmail, ip: expect.any(String) });
    const second = await t.app.inject({
      url: '/api/v1/admin/audit-events?action=api_key.created&limit=2&offset=2',
      headers: admin,
    });
    expect(second.json().items.map((e: { data: { name: string } }) => e.data.name)).toEqual([
      'one',
    ]);
  });

  it('filters by actor: a user by email in any case, others as stored', async () => {
    const byEmail = await t.app.inject({
      url: `/api/v1/admin/audit-events?actor=${encodeURIComponent('auditor@EXAMPLE.test')}`,
      headers: admin,
    });
    expect(byEmail.json().total).toBe(3);
    const byCli = await t.app.inject({
      url: '/api/v1/admin/audit-events?actor=cli',
      headers: admin,
    });
    expect(byCli.json()).toMatchObject({
      total: 1,
      items: [{ action: 'cli.ran', actorEmail: null }],
    });
  });

  it('filters by time: since (inclusive) and before (exclusive)', async () => {
    const all = (await t.app.inject({ url: '/api/v1/admin/audit-events', headers: admin })).json();
    const times = all.items.map((e: { createdAt: string }) => e.createdAt);
    const oldest = times.at(-1)!;
    const newest = times[0]!;
    const query = async (params: string) =>
      (await t.app.inject({ url: `/api/v1/admin/audit-events?${params}`, headers: admin })).json();
    expect((await query(`since=${oldest}`)).total).toBe(all.total);
    expect((await query(`before=${oldest}`)).total).toBe(0);
    const future = new Date(Date.parse(newest) + 60_000).toISOString();
    expect((await query(`since=${future}`)).total).toBe(0);
    expect((await query(`since=${oldest}&before=${future}`)).total).toBe(all.total);
    const bad = await t.app.inject({
      url: '/api/v1/admin/audit-events?since=yesterday',
      headers: admin,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['since']);
  });

  it('lists the distinct actions for the filter', async () => {
    const actions = await t.app.inject({
      url: '/api/v1/admin/audit-events/actions',
      headers: admin,
    });
    expect(actions.json().items).toEqual(expect.arrayContaining(['api_key.created', 'cli.ran']));
    expect(new Set(actions.json().items).size).toBe(actions.json().items.length);
  });

  it('answers bad paging with field errors and refuses non-admins', async () => {
    const bad = await t.app.inject({ url: '/api/v1/admin/audit-events?offset=-1', headers: admin });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['offset']);
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    for (const url of ['/api/v1/admin/audit-events', '/api/v1/admin/audit-events/actions']) {
      expect((await t.app.inject({ url, headers: staff })).statusCode).toBe(403);
      expect((await t.app.inject({ url })).statusCode).toBe(401);
    }
  });
});
