import type { AdminDetail, AdminHistory, AdminList } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminTestApp, type AdminTestApp } from '../../../test/admin-app.js';

// The CRM's resources in the generic admin: leads listed, searched, filtered and sorted; written
// through the CRM's own schemas and rules (errors under the admin's field names), soft-deleted
// and restored; the status/owner actions with their timeline; notes, timeline, imports and the
// newsletter's "mark unsubscribed".

let h: AdminTestApp;
const base = '/api/v1/admin/resources';

const call: AdminTestApp['call'] = (...args) => h.call(...args);

const list = async (resource: string, query: Record<string, string> = {}) => {
  const response = await call('GET', `${base}/${resource}?${new URLSearchParams(query)}`, h.staff);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as AdminList;
};

const timeline = async (leadId: string) =>
  (
    await h.t.database.pool.query<{ kind: string; to_status: string | null; actor_id: string }>(
      'SELECT kind, to_status, actor_id FROM lead_activities WHERE lead_id = $1 ORDER BY id',
      [leadId],
    )
  ).rows;

beforeAll(async () => {
  h = await adminTestApp();
  await h.t.database.pool.query(
    `INSERT INTO leads (full_name, email, company_name, status, value, owner_id, tags, created_at)
     VALUES ('Ada Lovelace', 'ada@analytical.test', 'Analytical Engines', 'new', 100, $1, '{vip}',
             '2026-01-01'),
            ('Grace Hopper', 'grace@navy.test', 'US Navy', 'qualified', 300, NULL, '{}',
             '2026-02-01'),
            ('Alan Turing', 'alan@bletchley.test', 'Bletchley Park', 'lost', 200, $1, '{}',
             '2026-03-01')`,
    [h.staff.id],
  );
});
afterAll(() => h?.t.close());

describe('leads in the admin', () => {
  it('lists, searches name/email/company, filters and sorts', async () => {
    const all = await list('leads');
    expect(all.items.map((item) => item.fullName)).toEqual([
      'Alan Turing',
      'Grace Hopper',
      'Ada Lovelace',
    ]);
    expect(all.items[0]).toMatchObject({ companyName: 'Bletchley Park', ownerId: h.staff.id });
    // The owners are named in the same answer (one query, not a request per row).
    expect(all.refs).toEqual({ ownerId: { [h.staff.id]: h.staff.email } });
    expect((await list('leads', { q: 'navy' })).items.map((item) => item.fullName)).toEqual([
      'Grace Hopper',
    ]);
    expect((await list('leads', { q: 'bletchley' })).items).toHaveLength(1);
    expect((await list('leads', { q: 'ada@' })).items).toHaveLength(1);
    const owned = await list('leads', { filters: JSON.stringify({ ownerId: h.staff.id }) });
    expect(owned.items).toHaveLength(2);
    const open = await list('leads', { filters: JSON.stringify({ status: ['new', 'qualified'] }) });
    expect(open.items).toHaveLength(2);
    const dated = await list('leads', {
      filters: JSON.stringify({
        createdAt: { from: '2026-01-15T00:00:00Z', to: '2026-02-15T00:00:00Z' },
      }),
    });
    expect(dated.items.map((item) => item.fullName)).toEqual(['Grace Hopper']);
    const vip = await list('leads', { filters: JSON.stringify({ tags: 'vip' }) });
    expect(vip.items.map((item) => item.fullName)).toEqual(['Ada Lovelace']);
    const byValue = await list('leads', { sort: '-value' });
    expect(byValue.items.map((item) => item.value)).toEqual([300, 200, 100]);
    const bad = await call(
      'GET',
      `${base}/leads?filters=${encodeURIComponent('{"status":"won"}')}`,
      h.staff,
    );
    expect(bad.statusCode).toBe(400);
  });

  it('searches by the trigram indexes, not by reading every lead', async () => {
    // The admin's search condition (soft deletes left out, ILIKE on the three fields) over 20,000
    // leads, in a transaction rolled back afterwards: a BitmapOr of the three trigram indexes.
    const client = await h.t.database.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO leads (full_name, email, company_name)
         SELECT 'Person ' || n, 'person' || n || '@example.test', 'Company ' || (n % 500)
         FROM generate_series(1, 20000) AS n`,
      );
      // Fresh inserts wait in each GIN index's pending list, which the planner prices as read
      // in full; autovacuum would have merged them on a live table.
      await client.query(
        `SELECT gin_clean_pending_list(name::regclass)
         FROM unnest(ARRAY['leads_full_name_trgm_idx', 'leads_email_trgm_idx',
                           'leads_company_name_trgm_idx']) AS name`,
      );
      await client.query('ANALYZE leads');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM leads WHERE deleted_at IS NULL
           AND (full_name ILIKE '%navy%' OR email ILIKE '%navy%' OR company_name ILIKE '%navy%')`,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      for (const index of ['full_name', 'email', 'company_name']) {
        expect(plan).toContain(`leads_${index}_trgm_idx`);
      }
      expect(plan).not.toMatch(/Seq Scan/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('creates through the CRM schema, with its errors under the admin field names', async () => {
    const invalid = await call('POST', `${base}/leads`, h.staff, { fullName: '42' });
    expect(invalid.statusCode).toBe(400);
    const paths = (
      invalid.json() as { error: { details: { path: string[] }[] } }
    ).error.details.map((detail) => detail.path[0]);
    expect(paths.sort()).toEqual(['email', 'fullName']);
    // A rule of the CRM's service, not of its schema: the owner must be active staff.
    const badOwner = await call('POST', `${base}/leads`, h.staff, {
      fullName: 'Katherine Johnson',
      email: 'kj@nasa.test',
      ownerId: h.user.id,
    });
    expect(badOwner.statusCode).toBe(400);
    expect(badOwner.json().error.details[0].path).toEqual(['ownerId']);
    const disposable = await call('POST', `${base}/leads`, h.staff, {
      fullName: 'Katherine Johnson',
      email: 'kj@mailinator.com',
    });
    expect(disposable.statusCode).toBe(400);
    expect(disposable.json().error.details[0].path).toEqual(['email']);

    const created = await call('POST', `${base}/leads`, h.staff, {
      fullName: '  Katherine Johnson ',
      email: 'KJ@NASA.test',
      companyName: 'NASA',
      ownerId: h.staff.id,
      tags: ['space'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const record = created.json().record;
    // The schema's output: trimmed, lower-cased, defaults applied.
    expect(record).toMatchObject({
      fullName: 'Katherine Johnson',
      email: 'kj@nasa.test',
      status: 'new',
      source: 'website',
      tags: ['space'],
    });
    expect(await timeline(record.id)).toEqual([
      { kind: 'created', to_status: 'new', actor_id: h.staff.id },
    ]);
  });

  it('edits through the update schema, keeps the timeline and the email-or-phone rule', async () => {
    const { record } = (
      await call('POST', `${base}/leads`, h.staff, { fullName: 'Mary Jackson', email: 'mj@x.test' })
    ).json();
    const url = `${base}/leads/${record.id}`;
    const cleared = await call('PATCH', url, h.staff, { email: '' });
    expect(cleared.statusCode).toBe(400);
    expect(cleared.json().error.details[0].path).toEqual(['email']);
    const tooLong = await call('PATCH', url, h.staff, { phoneNumber: '1'.repeat(40) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0].path).toEqual(['phoneNumber']);
    const edited = await call('PATCH', url, h.staff, { status: 'contacted', companyName: 'NACA' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().record).toMatchObject({ status: 'contacted', companyName: 'NACA' });
    expect((await timeline(record.id)).map((entry) => entry.kind)).toEqual([
      'created',
      'status_changed',
      'updated',
    ]);
    // The CRM's API sees the same lead.
    const api = await h.t.app.inject({
      url: `/api/v1/leads/${record.id}`,
      headers: await h.as(h.staff),
    });
    expect(api.json()).toMatchObject({ status: 'contacted', company_name: 'NACA' });
  });

  it('soft-deletes and restores, the CRM API agreeing', async () => {
    const { record } = (
      await call('POST', `${base}/leads`, h.staff, {
        fullName: 'Dorothy Vaughan',
        email: 'dv@x.test',
      })
    ).json();
    const url = `${base}/leads/${record.id}`;
    // "View on site": the CRM's page of the lead, while the lead is there.
    expect((await call('GET', url, h.staff)).json().siteUrl).toBe(`/crm/leads/${record.id}`);
    expect((await call('DELETE', url, h.staff)).statusCode).toBe(204);
    expect((await call('GET', url, h.staff)).json()).not.toHaveProperty('siteUrl');
    const headers = await h.as(h.staff);
    expect((await h.t.app.inject({ url: `/api/v1/leads/${record.id}`, headers })).statusCode).toBe(
      404,
    );
    expect((await list('leads', { q: 'Dorothy' })).items).toHaveLength(0);
    expect((await list('leads', { q: 'Dorothy', deleted: 'only' })).items).toHaveLength(1);
    const history = (await call('GET', `${url}/history`, h.staff)).json() as AdminHistory;
    const deletion = history.items.find((item) => item.kind === 'deleted')!;
    const restored = await call('POST', `${url}/history/${deletion.id}/restore`, h.staff);
    expect(restored.statusCode, restored.body).toBe(200);
    expect((await h.t.app.inject({ url: `/api/v1/leads/${record.id}`, headers })).statusCode).toBe(
      200,
    );
  });

  it('marks lost and assigns owners through actions, on the timeline', async () => {
    const [grace] = (await list('leads', { q: 'Grace' })).items;
    const lost = await call('POST', `${base}/leads/actions/mark-lost`, h.staff, {
      ids: [grace!.id],
    });
    expect(lost.statusCode, lost.body).toBe(200);
    expect(lost.json()).toMatchObject({ kind: 'done', done: 1, failed: 0 });
    const mine = await call('POST', `${base}/leads/actions/assign-to-me`, h.admin, {
      ids: [grace!.id],
    });
    expect(mine.json()).toMatchObject({ done: 1 });
    const after = (await call('GET', `${base}/leads/${grace!.id}`, h.staff)).json() as AdminDetail;
    expect(after.record).toMatchObject({ status: 'lost', ownerId: h.admin.id });
    const entries = await timeline(grace!.id);
    expect(entries.find((entry) => entry.kind === 'status_changed')).toMatchObject({
      to_status: 'lost',
      actor_id: h.staff.id,
    });
    // A plain user is no owner: the action fails for the row with the CRM's reason.
    const { rows } = await h.t.database.pool.query(
      `INSERT INTO leads (full_name, email) VALUES ('Unowned', 'u@x.test') RETURNING id`,
    );
    const failing = await call('POST', `${base}/leads/actions/unassign`, h.user, {
      ids: [rows[0].id],
    });
    expect(failing.statusCode).toBe(403);
  });

  it('shows notes and the timeline inline; notes are added through the admin', async () => {
    const [ada] = (await list('leads', { q: 'Ada' })).items;
    const note = await call('POST', `${base}/lead-notes`, h.staff, {
      leadId: Number(ada!.id),
      message: 'Called, wants a demo.',
    });
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json().record).toMatchObject({
      message: 'Called, wants a demo.',
      actorId: h.staff.id,
    });
    const missing = await call('POST', `${base}/lead-notes`, h.staff, {
      leadId: 999999,
      message: 'x',
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].path).toEqual(['leadId']);
    const empty = await call('POST', `${base}/lead-notes`, h.staff, {
      leadId: Number(ada!.id),
      message: ' ',
    });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details[0].path).toEqual(['message']);

    await call('PATCH', `${base}/leads/${ada!.id}`, h.staff, { status: 'contacted' });
    const detail = (await call('GET', `${base}/leads/${ada!.id}`, h.staff)).json() as AdminDetail;
    const notes = detail.inlines.find((inline) => inline.name === 'notes')!;
    expect(notes.items.map((item) => item.message)).toEqual(['Called, wants a demo.']);
    const entries = detail.inlines.find((inline) => inline.name === 'timeline')!;
    expect(entries.items.map((item) => item.kind)).toEqual(['status_changed', 'note']);
    // The timeline is the CRM's record: nobody writes it here.
    const write = await call('POST', `${base}/lead-timeline`, h.admin, { leadId: Number(ada!.id) });
    expect(write.statusCode).toBe(403);
  });

  it('lists imports read-only, with their per-row errors', async () => {
    const csv = 'full_name,email\nAda Byron,ada@byron.test\n1,not-an-email\n';
    const upload = await h.t.app.inject({
      method: 'POST',
      url: '/api/v1/leads/imports?filename=fair.csv',
      headers: { ...(await h.as(h.staff)), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(upload.statusCode, upload.body).toBeLessThan(300);
    const imports = await list('lead-imports', { filters: JSON.stringify({ status: 'preview' }) });
    expect(imports.items).toHaveLength(1);
    expect(imports.items[0]).toMatchObject({ filename: 'fair.csv', totalRows: 2, invalidRows: 1 });
    const detail = (
      await call('GET', `${base}/lead-imports/${imports.items[0]!.id}`, h.staff)
    ).json() as AdminDetail;
    expect(detail.record.errors).toEqual([expect.objectContaining({ row: 2 })]);
    expect(
      (await call('DELETE', `${base}/lead-imports/${imports.items[0]!.id}`, h.admin)).statusCode,
    ).toBe(403);
  });

  it('links the leads and imports lists to the CRM import (dry run first), not to a second one', async () => {
    const catalog = (await call('GET', base, h.staff)).json() as {
      items: { name: string; import?: { href: string } }[];
    };
    const linked = catalog.items.filter((resource) => resource.import).map((r) => r.name);
    expect(linked.sort()).toEqual(['lead-imports', 'leads']);
    expect(catalog.items.find((r) => r.name === 'leads')!.import!.href).toBe('/crm/import');
  });
});

describe('newsletter subscribers in the admin', () => {
  it('filters by status and confirmation, and marks unsubscribed through the service', async () => {
    await h.t.database.pool.query(
      `INSERT INTO newsletter_subscribers (email, status, confirmed_at)
       VALUES ('a@x.test', 'confirmed', now()), ('b@x.test', 'pending', NULL),
              ('c@x.test', 'confirmed', now())`,
    );
    const confirmed = await list('newsletter-subscribers', {
      filters: JSON.stringify({ status: 'confirmed' }),
    });
    expect(confirmed.items).toHaveLength(2);
    const never = await list('newsletter-subscribers', {
      filters: JSON.stringify({ confirmedAt: null }),
    });
    expect(never.items.map((item) => item.email)).toEqual(['b@x.test']);
    const [a] = (await list('newsletter-subscribers', { q: 'a@x' })).items;
    const response = await call(
      'POST',
      `${base}/newsletter-subscribers/actions/mark-unsubscribed`,
      h.staff,
      { ids: [a!.id] },
    );
    expect(response.json()).toMatchObject({ kind: 'done', done: 1, failed: 0 });
    const { rows } = await h.t.database.pool.query(
      `SELECT status, unsubscribed_at FROM newsletter_subscribers WHERE email = 'a@x.test'`,
    );
    expect(rows[0].status).toBe('unsubscribed');
    expect(rows[0].unsubscribed_at).not.toBeNull();
    const { rows: events } = await h.t.database.pool.query(
      `SELECT data FROM audit_events WHERE action = 'admin.newsletter-subscribers.mark-unsubscribed'`,
    );
    expect(events[0].data.changes.status).toEqual({ before: 'confirmed', after: 'unsubscribed' });
    // Not editable here: subscriptions change through opt-in and the unsubscribe link.
    expect(
      (
        await call('PATCH', `${base}/newsletter-subscribers/${a!.id}`, h.admin, {
          status: 'confirmed',
        })
      ).statusCode,
    ).toBe(403);
  });
});
