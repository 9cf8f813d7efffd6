import type { AdminList, AdminResourceMeta } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHarness, seedLeads, type AdminHarness } from './test-fixture.js';

// The list engine over a fixture resource (leads, 60 rows): keyset pages, sorts, filters,
// search, counts, facets, field permissions, and 400s with field messages for bad input.

let h: AdminHarness;
const url = '/api/v1/admin/resources/fixture-leads';

async function list(query: Record<string, string>, who = h.staff) {
  const response = await h.t.app.inject({
    method: 'GET',
    url,
    query,
    headers: await h.as(who),
  });
  return response;
}

beforeAll(async () => {
  h = await adminHarness();
  await seedLeads(h.t, 60);
});
afterAll(() => h?.t.close());

describe('admin list', () => {
  it('describes the resource with what the caller may do', async () => {
    const response = await h.t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/resources',
      headers: await h.as(h.staff),
    });
    expect(response.statusCode).toBe(200);
    const meta = (response.json() as { items: AdminResourceMeta[] }).items.find(
      (item) => item.name === 'fixture-leads',
    )!;
    expect(meta.module).toBe('admin-fixture');
    expect(meta.fields.map((field) => field.name)).not.toContain('notes');
    expect(meta.fields.find((field) => field.name === 'value')?.readable).toBe(false);
    expect(meta.fields.find((field) => field.name === 'email')?.editable).toBe(false);
    expect(meta.fields.find((field) => field.name === 'fullName')?.editable).toBe(true);
    expect(meta.list).not.toContain('value');
    expect(meta.permissions).toEqual({
      list: true,
      view: true,
      create: true,
      edit: true,
      delete: false,
    });
    expect(meta.actions.map((action) => action.name)).toEqual(['mark-lost']);
    expect(meta.filters.find((filter) => filter.field === 'status')?.kind).toBe('choice');
  });

  it('walks every row once in keyset pages, newest first', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const response = await list({ limit: '25', ...(cursor ? { cursor } : {}) });
      expect(response.statusCode).toBe(200);
      const body = response.json() as AdminList;
      expect(body.count).toEqual({ value: 60, exact: true });
      seen.push(...body.items.map((item) => String(item.fullName)));
      cursor = body.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen[0]).toBe('Lead 60');
    expect(seen.at(-1)).toBe('Lead 1');
  });

  it('sorts by a nullable column with keyset pages that do not skip or repeat', async () => {
    // Some emails are NULL: they sort last ascending.
    await h.t.database.pool.query(
      `UPDATE leads SET email = NULL WHERE full_name IN ('Lead 3', 'Lead 4', 'Lead 5')`,
    );
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const body = (
        await list({ limit: '7', sort: 'email', ...(cursor ? { cursor } : {}) })
      ).json() as AdminList;
      names.push(...body.items.map((item) => String(item.email)));
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
    expect(names).toHaveLength(60);
    expect(names.slice(-3)).toEqual(['null', 'null', 'null']);
    const emails = names.slice(0, -3);
    expect(emails).toEqual([...emails].sort());
    await h.t.database.pool.query(
      `UPDATE leads SET email = 'lead' || substring(full_name from 6) || '@example.test' WHERE email IS NULL`,
    );
  });

  it('filters by choice, date range and several choices; counts facets on request', async () => {
    const one = (await list({ filters: JSON.stringify({ status: 'lost' }) })).json() as AdminList;
    expect(one.count).toEqual({ value: 12, exact: true });
    expect(one.items.every((item) => item.status === 'lost')).toBe(true);

    const range = (
      await list({
        filters: JSON.stringify({
          createdAt: { from: '2026-01-01T00:00:10Z', to: '2026-01-01T00:00:20Z' },
        }),
      })
    ).json() as AdminList;
    expect(range.count.value).toBe(10);

    const faceted = (
      await list({ filters: JSON.stringify({ status: ['new', 'lost'] }), facets: 'status' })
    ).json() as AdminList;
    expect(faceted.count.value).toBe(24);
    // A facet counts within the other filters, so every status shows.
    expect(faceted.facets?.status?.exact).toBe(true);
    expect(faceted.facets?.status?.values).toHaveLength(5);
    expect(faceted.facets?.status?.values.every((value) => value.count === 12)).toBe(true);
  });

  it('searches the search fields (LIKE characters match themselves) and ids', async () => {
    const body = (await list({ q: 'lead 5' })).json() as AdminList;
    expect(body.items.map((item) => item.fullName).sort()).toEqual(
      ['Lead 5', 'Lead 50', 'Lead 51', 'Lead 52', 'Lead 53', 'Lead 54', 'Lead 55']
        .concat(['Lead 56', 'Lead 57', 'Lead 58', 'Lead 59'])
        .sort(),
    );
    expect(((await list({ q: '%' })).json() as AdminList).count.value).toBe(0);
    const first = ((await list({ limit: '1' })).json() as AdminList).items[0]!;
    const byId = (await list({ q: first.id })).json() as AdminList;
    expect(byId.items.map((item) => item.id)).toContain(first.id);
  });

  it('never returns hidden fields nor fields above the caller’s role', async () => {
    const staffRows = (await list({ limit: '200' })).json() as AdminList;
    const text = JSON.stringify(staffRows);
    expect(text).not.toContain('SECRET-NOTE');
    expect(staffRows.items.every((item) => !('value' in item) && !('notes' in item))).toBe(true);
    const adminRows = (await list({ limit: '5' }, h.admin)).json() as AdminList;
    expect(adminRows.items.every((item) => typeof item.value === 'number')).toBe(true);
    expect(JSON.stringify(adminRows)).not.toContain('SECRET-NOTE');
    // Asking for them is a 400, not a quiet omission: the caller learns nothing else.
    const refused: Record<string, string>[] = [
      { columns: 'notes' },
      { columns: 'value' },
      { sort: 'value' },
      { filters: JSON.stringify({ value: 10 }) },
      { filters: JSON.stringify({ notes: 'x' }) },
    ];
    for (const query of refused) {
      expect((await list(query)).statusCode, JSON.stringify(query)).toBe(400);
    }
    // The hidden field is not searched either.
    expect(((await list({ q: 'SECRET-NOTE' })).json() as AdminList).count.value).toBe(0);
  });

  it('refuses bad input with 400 and field messages', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ filters: '{not json' }, 'filters'],
      [{ filters: JSON.stringify({ nope: 1 }) }, 'filters'],
      [{ filters: JSON.stringify({ status: 'sideways' }) }, 'filters'],
      [{ filters: JSON.stringify({ createdAt: { from: 'yesterday' } }) }, 'filters'],
      [{ filters: JSON.stringify({ createdAt: 'x' }) }, 'filters'],
      [{ sort: '-nope' }, 'sort'],
      [{ cursor: 'forged' }, 'cursor'],
      [{ cursor: Buffer.from('["-createdAt","x","1"]').toString('base64url') + '.AAAA' }, 'cursor'],
      [{ columns: 'fullName,zzz' }, 'columns'],
      [{ facets: 'fullName' }, 'facets'],
      [{ limit: '201' }, 'limit'],
    ];
    for (const [query, path] of cases) {
      const response = await list(query);
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
      const body = response.json() as { error: { details?: { path: string[] }[] } };
      expect(body.error.details?.[0]?.path[0], JSON.stringify(query)).toBe(path);
    }
    // Values the column cannot hold are the caller's mistake too, not a 500.
    const year0 = await list({
      filters: JSON.stringify({ createdAt: { from: '0000-01-01T00:00:00Z' } }),
    });
    expect(year0.statusCode).toBe(400);
    const detail = await h.t.app.inject({
      method: 'GET',
      url: `${url}/99999999999999999999`,
      headers: await h.as(h.staff),
    });
    expect(detail.statusCode).toBe(404);
    // A cursor of one sort does not work with another.
    const page = (await list({ limit: '2' })).json() as AdminList;
    expect((await list({ sort: 'fullName', cursor: page.nextCursor! })).statusCode).toBe(400);
  });

  it('is for staff: a plain user gets 403, an unknown resource 404', async () => {
    expect((await list({}, h.user)).statusCode).toBe(403);
    const unknown = await h.t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/resources/nope',
      headers: await h.as(h.staff),
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('estimates the count above the threshold instead of counting', async () => {
    // The leads table has 60 rows; analyse it so the planner's estimate is right.
    await h.t.database.pool.query('ANALYZE leads');
    const resource = (await import('./registry.js')).adminResource('fixture-leads');
    const { countRows } = await import('./count.js');
    const low = { ...resource, countThreshold: 10 };
    expect(await countRows(h.t.app.db, low, undefined)).toEqual({ value: 60, exact: false });
    expect(await countRows(h.t.app.db, resource, undefined)).toEqual({ value: 60, exact: true });
  });
});
