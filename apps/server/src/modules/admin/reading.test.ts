import type { AdminView } from '@bastion/contract';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../../../test/auth.js';
import { createUser } from '../../../test/auth.js';
import { adminHarness, seedLeads, type AdminHarness } from '../../admin/test-fixture.js';

// Export, lookup, palette search and saved views: field permissions hold in each of them.

let h: AdminHarness;
let otherStaff: TestUser;

async function get(url: string, who: TestUser, query: Record<string, string> = {}) {
  return h.t.app.inject({ method: 'GET', url, query, headers: await h.as(who) });
}

beforeAll(async () => {
  h = await adminHarness();
  await seedLeads(h.t, 2500, 'Exported');
  otherStaff = await createUser(h.t, { role: 'staff' });
});
afterAll(() => h?.t.close());

describe('admin export', () => {
  it('streams the filtered rows as CSV with readable fields only', async () => {
    const response = await get('/api/v1/admin/resources/fixture-leads/export', h.staff, {
      filters: JSON.stringify({ status: 'lost' }),
      columns: 'fullName,email,status',
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    const rows = parse(response.body) as string[][];
    expect(rows[0]).toEqual(['id', 'Full name', 'Email', 'Status']);
    // 500 of the 2,500 are lost, each once.
    expect(rows).toHaveLength(501);
    expect(new Set(rows.slice(1).map((row) => row[0])).size).toBe(500);
    expect(rows.slice(1).every((row) => row[3] === 'lost')).toBe(true);
  });

  it('reads past one batch, and never exports hidden or unreadable fields', async () => {
    const response = await get('/api/v1/admin/resources/fixture-leads/export', h.staff);
    const rows = parse(response.body) as string[][];
    expect(rows).toHaveLength(2501);
    expect(rows[0]).toEqual(['id', 'Full name', 'Email', 'Status', 'Created at']);
    expect(response.body).not.toContain('SECRET-NOTE');
    const refused = await get('/api/v1/admin/resources/fixture-leads/export', h.staff, {
      columns: 'value',
    });
    expect(refused.statusCode).toBe(400);
    expect((await get('/api/v1/admin/resources/fixture-leads/export', h.user)).statusCode).toBe(
      403,
    );
  });

  it('defuses cells that spreadsheets would run as formulas', async () => {
    await h.t.database.pool.query(
      `UPDATE leads SET full_name = '=HYPERLINK("x")' WHERE full_name = 'Exported 7'`,
    );
    const response = await get('/api/v1/admin/resources/fixture-leads/export', h.staff, {
      q: 'HYPERLINK',
      columns: 'fullName',
    });
    const rows = parse(response.body) as string[][];
    expect(rows[1]![1]).toBe(`'=HYPERLINK("x")`);
  });
});

describe('admin lookup and palette', () => {
  it('answers pickers with id and title only', async () => {
    const response = await get('/api/v1/admin/resources/fixture-leads/lookup', h.staff, {
      q: 'exported 250',
    });
    expect(response.statusCode).toBe(200);
    const { items } = response.json() as { items: { id: string; label: string }[] };
    expect(items.map((item) => item.label)).toEqual(['Exported 250', 'Exported 2500']);
    expect(Object.keys(items[0]!).sort()).toEqual(['id', 'label']);
  });

  it('finds objects across resources by title, never by hidden fields', async () => {
    const hits = (await get('/api/v1/admin/search', h.staff, { q: 'Exported 1234' })).json();
    // The CRM's own `leads` resource reads the same table as the fixture: both find the row.
    expect(
      hits.items.filter((hit: { resource: string }) => hit.resource === 'fixture-leads'),
    ).toEqual([
      {
        resource: 'fixture-leads',
        resourceLabel: 'Leads',
        id: expect.any(String),
        label: 'Exported 1234',
      },
    ]);
    const secret = (await get('/api/v1/admin/search', h.staff, { q: 'SECRET-NOTE' })).json();
    expect(secret.items).toEqual([]);
    expect((await get('/api/v1/admin/search', h.user, { q: 'x' })).statusCode).toBe(403);
  });
});

describe('saved views', () => {
  const state = {
    q: 'exported',
    filters: { status: 'new' },
    columns: ['fullName', 'status'],
    sort: '-createdAt',
    deleted: 'include',
  };

  async function save(who: TestUser, body: Record<string, unknown>) {
    return h.t.app.inject({
      method: 'POST',
      url: '/api/v1/admin/views',
      headers: await h.as(who),
      payload: body,
    });
  }

  it('keeps private views to their owner and shares others with a role', async () => {
    const mine = await save(h.staff, { resource: 'fixture-leads', name: 'Mine', state });
    expect(mine.statusCode).toBe(201);
    const shared = await save(h.staff, {
      resource: 'fixture-leads',
      name: 'Team',
      sharedWithRole: 'staff',
      state,
    });
    const admins = await save(h.admin, {
      resource: 'fixture-leads',
      name: 'Admins',
      sharedWithRole: 'admin',
      state,
    });
    const names = async (who: TestUser) =>
      (
        (await get('/api/v1/admin/views', who, { resource: 'fixture-leads' })).json() as {
          items: AdminView[];
        }
      ).items
        .map((view) => view.name)
        .sort();
    expect(await names(h.staff)).toEqual(['Mine', 'Team']);
    expect(await names(otherStaff)).toEqual(['Team']);
    expect(await names(h.admin)).toEqual(['Admins', 'Team']);

    // Addressable by id, for whoever may see it.
    const id = (mine.json() as AdminView).id;
    expect((await get(`/api/v1/admin/views/${id}`, h.staff)).json()).toMatchObject({
      name: 'Mine',
      mine: true,
      state,
    });
    expect((await get(`/api/v1/admin/views/${id}`, otherStaff)).statusCode).toBe(404);
    // Only the owner changes a shared view.
    const teamId = (shared.json() as AdminView).id;
    const patch = async (who: TestUser) =>
      h.t.app.inject({
        method: 'PATCH',
        url: `/api/v1/admin/views/${teamId}`,
        headers: await h.as(who),
        payload: { name: 'Renamed' },
      });
    expect((await patch(otherStaff)).statusCode).toBe(403);
    expect((await patch(h.staff)).json()).toMatchObject({
      name: 'Renamed',
      sharedWithRole: 'staff',
    });
    const removed = await h.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/views/${(admins.json() as AdminView).id}`,
      headers: await h.as(h.admin),
    });
    expect(removed.statusCode).toBe(204);
  });

  it('refuses a state the resource cannot show, with field messages', async () => {
    const bad = await save(h.staff, {
      resource: 'fixture-leads',
      name: 'Bad',
      state: { columns: ['notes'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].path).toEqual(['columns']);
    expect(
      (await save(h.staff, { resource: 'fixture-leads', name: '', state: {} })).statusCode,
    ).toBe(400);
    const deleted = await save(h.staff, {
      resource: 'fixture-leads',
      name: 'Bad',
      state: { deleted: 'all' },
    });
    expect(deleted.statusCode).toBe(400);
    expect(deleted.json().error.details[0].path).toEqual(['state', 'deleted']);
    expect((await save(h.staff, { resource: 'nope', name: 'x', state: {} })).statusCode).toBe(404);
  });
});
