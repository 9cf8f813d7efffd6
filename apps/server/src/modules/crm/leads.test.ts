import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { leadInput, staffHeaders } from './test-support.js';

let t: TestApp;
let headers: Record<string, string>;

async function create(body: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/api/v1/leads', headers, payload: body });
}
async function list(query: string) {
  return t.app.inject({ url: `/api/v1/leads${query}`, headers });
}

beforeAll(async () => {
  t = await createTestApp();
  headers = await staffHeaders(t);
  // 12 leads with known statuses, sources and categories, created one after the other.
  const statuses = ['new', 'contacted', 'qualified', 'converted', 'lost', 'new'] as const;
  for (let i = 0; i < 12; i++) {
    const response = await create({
      full_name: `Seed Person ${i}`,
      email: `seed${i}@example.com`,
      company_name: i % 2 === 0 ? 'Initech' : 'Globex',
      status: statuses[i % statuses.length],
      source: i % 3 === 0 ? 'referral' : 'website',
      category: i < 4 ? 'vip' : null,
    });
    expect(response.statusCode).toBe(201);
  }
});
afterAll(() => t.close());

describe('creating leads', () => {
  it('trims strings, applies defaults and returns the lead with ISO timestamps', async () => {
    const response = await create({
      full_name: '  Grace Hopper ',
      email: ' Grace@Example.com ',
      position: ' Admiral ',
    });
    expect(response.statusCode).toBe(201);
    const lead = response.json();
    expect(lead).toMatchObject({
      full_name: 'Grace Hopper',
      email: 'grace@example.com',
      position: 'Admiral',
      status: 'new',
      source: 'website',
      company_name: null,
      tags: [],
    });
    expect(lead.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
    const detail = await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers });
    expect(detail.json()).toEqual(lead);
  });

  it.each([
    ['a missing full_name', { email: 'x@example.com' }, 'full_name'],
    ['a one-letter name', { full_name: 'A', email: 'x@example.com' }, 'full_name'],
    ['a name of digits only', { full_name: '12345', email: 'x@example.com' }, 'full_name'],
    ['a blank name', { full_name: '   ', email: 'x@example.com' }, 'full_name'],
    ['a 256-character name', { full_name: 'x'.repeat(256), email: 'x@example.com' }, 'full_name'],
    ['an invalid email', { full_name: 'Bad Email', email: 'nope' }, 'email'],
    ['neither email nor phone', { full_name: 'No Contact' }, 'email'],
    [
      'an unknown status',
      { full_name: 'Bad Status', email: 'x@example.com', status: 'won' },
      'status',
    ],
    ['notes over 5000 characters', leadInput({ notes: 'n'.repeat(5001) }), 'notes'],
    ['a disposable email domain', { full_name: 'Temp Mail', email: 'x@mailinator.com' }, 'email'],
  ])('refuses %s with a field error', async (_name, body, field) => {
    const response = await create(body);
    expect(response.statusCode).toBe(400);
    const details = response.json().error.details as { path: string[] }[];
    expect(details.map((detail) => detail.path[0])).toContain(field);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"full_name":',
    });
    expect(response.statusCode).toBe(400);
  });

  it('accepts a phone number instead of an email', async () => {
    const response = await create({ full_name: 'Phone Only', phone_number: '+15550100' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ email: null, phone_number: '+15550100' });
  });
});

describe('listing leads', () => {
  it('filters by status, source and category, and combines them', async () => {
    const lost = (await list('?status=lost&page_size=200')).json();
    expect(lost.count).toBe(2);
    expect(lost.results.every((lead: { status: string }) => lead.status === 'lost')).toBe(true);
    const vipReferral = (await list('?category=vip&source=referral')).json();
    expect(vipReferral.results.map((lead: { full_name: string }) => lead.full_name)).toEqual([
      'Seed Person 3',
      'Seed Person 0',
    ]);
  });

  it('treats an empty status as no filter', async () => {
    const all = (await list('?status=')).json();
    expect(all.count).toBeGreaterThanOrEqual(12);
  });

  it('searches name, company and email, case-insensitively', async () => {
    expect((await list('?search=seed person 1')).json().count).toBe(3); // 1, 10, 11
    expect((await list('?search=GLOBEX')).json().count).toBe(6);
    expect((await list('?search=seed7@')).json().count).toBe(1);
    expect((await list('?search=%25')).json().count).toBe(0); // "%" matches itself only
  });

  it('orders by an allowed field and ignores unknown ones', async () => {
    const byName = (await list('?ordering=full_name&search=seed&page_size=3')).json();
    expect(byName.results.map((lead: { full_name: string }) => lead.full_name)).toEqual([
      'Seed Person 0',
      'Seed Person 1',
      'Seed Person 10',
    ]);
    const fallback = (await list('?ordering=password&search=seed&page_size=1')).json();
    expect(fallback.results[0].full_name).toBe('Seed Person 11'); // newest first
  });

  it('paginates like DRF: absolute links, sorted keys, page 1 without page', async () => {
    const first = (await list('?search=seed&page_size=5')).json();
    expect(first).toMatchObject({ count: 12, previous: null });
    expect(first.next).toBe('http://localhost:80/api/v1/leads?page=2&page_size=5&search=seed');
    const third = (await list('?search=seed&page_size=5&page=3')).json();
    expect(third.results).toHaveLength(2);
    expect(third.next).toBeNull();
    expect(third.previous).toBe('http://localhost:80/api/v1/leads?page=2&page_size=5&search=seed');
    const second = (await list('?page=2&search=seed&page_size=5')).json();
    expect(second.previous).toBe('http://localhost:80/api/v1/leads?page_size=5&search=seed');
    const last = (await list('?search=seed&page_size=5&page=last')).json();
    expect(last.results).toEqual(third.results);
  });

  it.each([['0'], ['-1'], ['999999'], ['abc'], ['1.5'], ['']])(
    'answers 404 "Invalid page." for page=%s',
    async (page) => {
      const response = await list(`?page=${page}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({
        detail: 'Invalid page.',
        error: { code: 'not_found' },
      });
    },
  );

  it('caps page_size at 200 and falls back to 50 for invalid sizes', async () => {
    for (let i = 0; i < 240; i += 60) {
      await t.database.pool.query(
        `INSERT INTO leads (full_name, email) SELECT 'Bulk ' || g, 'bulk' || g || '@example.com'
         FROM generate_series($1::int, $1::int + 59) g`,
        [i],
      );
    }
    expect((await list('?page_size=500')).json().results).toHaveLength(200);
    expect((await list('?page_size=0')).json().results).toHaveLength(50);
    expect((await list('?page_size=-3')).json().results).toHaveLength(50);
    expect((await list('?page_size=ten')).json().results).toHaveLength(50);
  });

  it('serves an empty first page when nothing matches', async () => {
    const response = await list('?status=converted&search=nobody-at-all');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});

describe('one lead', () => {
  it('answers 404 {"detail":"Not found."} for unknown and non-numeric ids', async () => {
    for (const id of ['999999999', 'abc', '0', '1e3']) {
      const response = await t.app.inject({ url: `/api/v1/leads/${id}`, headers });
      expect(response.statusCode).toBe(404);
      expect(response.json().detail).toBe('Not found.');
    }
  });

  it('accepts a trailing slash', async () => {
    const created = (await create(leadInput({ email: 'slash@example.com' }))).json();
    const response = await t.app.inject({ url: `/api/v1/leads/${created.id}/`, headers });
    expect(response.statusCode).toBe(200);
  });

  it('updates fields, keeps status changes on the timeline', async () => {
    const lead = (await create(leadInput({ email: 'timeline@example.com' }))).json();
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers,
      payload: { status: 'contacted', company_name: ' Analytical Engines ' },
    });
    expect(patch.statusCode).toBe(200);
    expect(patch.json()).toMatchObject({ status: 'contacted', company_name: 'Analytical Engines' });
    await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers,
      payload: { status: 'qualified' },
    });
    const timeline = (
      await t.app.inject({ url: `/api/v1/leads/${lead.id}/timeline`, headers })
    ).json();
    const statusChanges = timeline.results
      .filter((entry: { kind: string }) => entry.kind === 'status_changed')
      .map((entry: { from_status: string; to_status: string }) => [
        entry.from_status,
        entry.to_status,
      ]);
    expect(statusChanges).toEqual([
      ['contacted', 'qualified'],
      ['new', 'contacted'],
    ]);
    expect(timeline.results.at(-1)).toMatchObject({ kind: 'created', to_status: 'new' });
  });

  it('refuses a PATCH that would leave neither email nor phone', async () => {
    const lead = (await create(leadInput({ email: 'only-email@example.com' }))).json();
    const response = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/leads/${lead.id}`,
      headers,
      payload: { email: null },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toEqual(['email']);
  });

  it('soft-deletes: gone from detail and list, row kept', async () => {
    const lead = (await create(leadInput({ email: 'gone@example.com' }))).json();
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/leads/${lead.id}`,
      headers,
    });
    expect(deleted.statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/leads/${lead.id}`, headers })).statusCode).toBe(404);
    expect((await list('?search=gone@example.com')).json().count).toBe(0);
    const { rows } = await t.database.pool.query('SELECT deleted_at FROM leads WHERE id = $1', [
      lead.id,
    ]);
    expect(rows[0].deleted_at).toBeInstanceOf(Date);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/leads/${lead.id}`,
      headers,
    });
    expect(again.statusCode).toBe(404);
  });

  it('adds notes to the timeline', async () => {
    const lead = (await create(leadInput({ email: 'notes@example.com' }))).json();
    const note = await t.app.inject({
      method: 'POST',
      url: `/api/v1/leads/${lead.id}/notes`,
      headers,
      payload: { message: 'Called, wants a demo' },
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({ kind: 'note', message: 'Called, wants a demo' });
  });
});

describe('bulk status, stats and export', () => {
  it('moves several leads at once and reports how many changed', async () => {
    const ids = [];
    for (const n of [1, 2, 3]) {
      ids.push((await create(leadInput({ email: `bulk-status${n}@example.com` }))).json().id);
    }
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/bulk-status',
      headers,
      payload: { ids, status: 'lost' },
    });
    expect(response.json()).toEqual({ updated: 3 });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/bulk-status',
      headers,
      payload: { ids, status: 'lost' },
    });
    expect(again.json()).toEqual({ updated: 0 });
  });

  it('computes the funnel, conversion by source and leads per day', async () => {
    const stats = (await t.app.inject({ url: '/api/v1/leads/stats', headers })).json();
    expect(stats.by_status.map((row: { status: string }) => row.status)).toEqual([
      'new',
      'contacted',
      'qualified',
      'converted',
      'lost',
    ]);
    expect(stats.per_day).toHaveLength(30);
    expect(stats.per_day.at(-1).count).toBeGreaterThan(0);
    const referral = stats.by_source.find((row: { source: string }) => row.source === 'referral');
    expect(referral).toMatchObject({ total: 4, converted: 2 });
  });

  it('exports the current filter as CSV with formula cells neutralised', async () => {
    await create(leadInput({ full_name: '=HYPERLINK("x")', email: 'formula@example.com' }));
    const response = await t.app.inject({
      url: '/api/v1/leads/export?search=formula@example.com',
      headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trim().split('\n');
    expect(lines[0]).toMatch(/^id,full_name,position,company_name/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
