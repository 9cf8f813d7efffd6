import { UNSTORABLE_TEXT_MESSAGE } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsHarness, type JobsHarness } from '../jobs/test-support/harness.js';
import { staffHeaders } from './test-support.js';

let t: JobsHarness;
let headers: Record<string, string>;

function upload(csv: string | Buffer, filename = 'leads.csv', contentType = 'text/csv') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/leads/imports?filename=${filename}`,
    headers: { ...headers, 'content-type': contentType },
    payload: csv,
  });
}

async function applyAndWait(id: string) {
  const applied = await t.app.inject({
    method: 'POST',
    url: `/api/v1/leads/imports/${id}/apply`,
    headers,
  });
  expect(applied.statusCode).toBe(202);
  await expect
    .poll(
      async () => (await t.app.inject({ url: `/api/v1/leads/imports/${id}`, headers })).json(),
      {
        timeout: 15_000,
      },
    )
    .toMatchObject({ status: 'done' });
}

beforeAll(async () => {
  t = await createJobsHarness();
  // Applying an import is a job: a worker on the test database runs it.
  await t.runtime('worker');
  headers = await staffHeaders(t);
  await t.app.inject({
    method: 'POST',
    url: '/api/v1/leads',
    headers,
    payload: { full_name: 'Existing Lead', email: 'existing@example.com' },
  });
});
afterAll(() => t.close());

describe('CSV import', () => {
  it('previews: valid rows, per-row errors, duplicates in the file and in the CRM; creates nothing', async () => {
    const csv = [
      'Name,Email,Company,Phone,Status,Unknown column',
      'Alan Turing,alan@example.com,Bletchley,,new,x',
      'A,bad@example.com,,,,',
      'No Contact,,Nowhere,,,',
      'Again Alan,ALAN@example.com,,,,',
      'Old Friend,existing@example.com,,,,',
      'Bad Status,status@example.com,,,won,',
      'Phone Person,,,+441234,contacted,',
    ].join('\n');
    const response = await upload(csv);
    expect(response.statusCode).toBe(201);
    const preview = response.json();
    expect(preview).toMatchObject({
      status: 'preview',
      filename: 'leads.csv',
      total_rows: 7,
      valid_rows: 2,
      invalid_rows: 3,
      duplicate_rows: 2,
      processed_rows: 0,
    });
    expect(preview.errors).toEqual([
      { row: 2, errors: [{ field: 'full_name', message: expect.any(String) }] },
      {
        row: 3,
        errors: [{ field: 'email', message: 'Either email or phone_number is required.' }],
      },
      { row: 6, errors: [{ field: 'status', message: expect.any(String) }] },
    ]);
    expect(preview.duplicates).toEqual([
      { row: 4, email: 'alan@example.com' },
      { row: 5, email: 'existing@example.com' },
    ]);
    expect(preview.preview.map((row: { full_name: string }) => row.full_name)).toEqual([
      'Alan Turing',
      'Phone Person',
    ]);
    const { rows } = await t.database.pool.query('SELECT count(*)::int AS n FROM leads');
    expect(rows[0].n).toBe(1);
  });

  it('applies a preview in the background and reports progress until done', async () => {
    const lines = ['full_name,email,source'];
    for (let i = 0; i < 600; i++) lines.push(`Person ${i},person${i}@example.com,fair`);
    const preview = (await upload(lines.join('\n'), 'fair.csv')).json();
    expect(preview.valid_rows).toBe(600);
    const applied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/leads/imports/${preview.id}/apply`,
      headers,
    });
    expect(applied.statusCode).toBe(202);
    await expect
      .poll(
        async () =>
          (await t.app.inject({ url: `/api/v1/leads/imports/${preview.id}`, headers })).json(),
        { timeout: 15_000 },
      )
      .toMatchObject({ status: 'done', processed_rows: 600, created_rows: 600 });
    const list = (await t.app.inject({ url: '/api/v1/leads?source=fair', headers })).json();
    expect(list.count).toBe(600);
    const timeline = (
      await t.app.inject({ url: `/api/v1/leads/${list.results[0].id}/timeline`, headers })
    ).json();
    expect(timeline.results[0]).toMatchObject({
      kind: 'imported',
      message: 'Imported from fair.csv',
    });
  });

  it('skips, at apply time, rows whose email became a lead after the preview', async () => {
    const preview = (
      await upload(
        'full_name,email\nFirst Come,first.come@example.com\nSecond Come,second.come@example.com',
      )
    ).json();
    expect(preview.valid_rows).toBe(2);
    const meanwhile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers,
      payload: { full_name: 'First Come', email: 'First.Come@example.com' },
    });
    expect(meanwhile.statusCode).toBe(201);
    await applyAndWait(preview.id);
    const done = (
      await t.app.inject({ url: `/api/v1/leads/imports/${preview.id}`, headers })
    ).json();
    expect(done).toMatchObject({ processed_rows: 2, created_rows: 1 });
    const { rows } = await t.database.pool.query(
      `SELECT count(*)::int AS n FROM leads WHERE lower(email) = 'first.come@example.com'`,
    );
    expect(rows[0].n).toBe(1);
    const staged = await t.database.pool.query(
      'SELECT count(*)::int AS n FROM lead_import_rows WHERE import_id = $1',
      [preview.id],
    );
    expect(staged.rows[0].n).toBe(0);
  });

  it('does not count the email of a deleted lead as a duplicate', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers,
      payload: { full_name: 'Gone Lead', email: 'gone@example.com' },
    });
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/leads/${created.json().id}`,
      headers,
    });
    expect(removed.statusCode).toBe(204);
    const preview = (await upload('full_name,email\nBack Again,gone@example.com')).json();
    expect(preview).toMatchObject({ valid_rows: 1, duplicate_rows: 0 });
    await applyAndWait(preview.id);
    const done = (
      await t.app.inject({ url: `/api/v1/leads/imports/${preview.id}`, headers })
    ).json();
    expect(done.created_rows).toBe(1);
  });

  it('refuses to apply the same import twice', async () => {
    const preview = (await upload('full_name,email\nOnce Only,once@example.com')).json();
    const url = `/api/v1/leads/imports/${preview.id}/apply`;
    expect((await t.app.inject({ method: 'POST', url, headers })).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'POST', url, headers })).statusCode).toBe(409);
  });

  it('is documented in the OpenAPI document as a text/csv body', async () => {
    const document = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const body = document.paths['/api/v1/leads/imports'].post.requestBody;
    expect(Object.keys(body.content)).toContain('text/csv');
    expect(Object.keys(body.content)).not.toContain('application/json');
  });

  it('refuses a file without a name column, an empty file and broken CSV', async () => {
    expect((await upload('email\nx@example.com')).statusCode).toBe(400);
    expect((await upload('   ')).statusCode).toBe(400);
    const broken = await upload('full_name,email\n"unterminated,x@example.com');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details[0].path).toEqual(['file']);
  });
});

describe('text PostgreSQL cannot store, and files that are not text', () => {
  it('turns a NUL character into an error of that row and field; the other rows import', async () => {
    const csv = [
      'name,email,company,notes',
      'Grace Hopper,grace@example.com,Navy,ok',
      'Nul\u0000Name,nul.name@example.com,,',
      'Nul Company,nul.company@example.com,Acme\u0000Corp,',
      'Nul Email,nul\u0000@example.com,,',
      'Katherine Johnson,katherine.j@example.com,NASA,',
    ].join('\n');
    const response = await upload(csv, 'nul.csv');
    expect(response.statusCode).toBe(201);
    const preview = response.json();
    expect(preview).toMatchObject({ total_rows: 5, valid_rows: 2, invalid_rows: 3 });
    // The contract's one text rule, the same message a JSON field gets.
    const nul = UNSTORABLE_TEXT_MESSAGE;
    expect(preview.errors).toEqual([
      { row: 2, errors: [{ field: 'full_name', message: nul }] },
      { row: 3, errors: [{ field: 'company_name', message: nul }] },
      { row: 4, errors: [{ field: 'email', message: nul }] },
    ]);
    await applyAndWait(preview.id);
    const { rows } = await t.database.pool.query(
      `SELECT full_name FROM leads WHERE email IN ('grace@example.com', 'katherine.j@example.com') ORDER BY full_name`,
    );
    expect(rows.map((row) => row.full_name)).toEqual(['Grace Hopper', 'Katherine Johnson']);
  });

  it('ignores a NUL in a column that is not imported', async () => {
    const response = await upload('full_name,email,fax\nIgnored Fax,fax@example.com,0\u00001');
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ valid_rows: 1, invalid_rows: 0 });
  });

  it('refuses a file that is not valid UTF-8 with a 400 on the file, and stores nothing', async () => {
    const before = await t.database.pool.query('SELECT count(*)::int AS n FROM lead_imports');
    const bytes = Buffer.concat([
      Buffer.from('full_name,email\nFine Row,fine@example.com\nBad '),
      Buffer.from([0xff, 0xfe, 0x41]),
      Buffer.from(' Row,bad@example.com\n'),
    ]);
    const response = await upload(bytes);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed' });
    expect(response.json().error.details[0].path).toEqual(['file']);
    expect(response.json().error.message).toMatch(/not UTF-8/);
    const after = await t.database.pool.query('SELECT count(*)::int AS n FROM lead_imports');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('decodes the charset the upload names, and refuses one it does not know', async () => {
    const latin1 = Buffer.concat([
      Buffer.from('full_name,email\nRen'),
      Buffer.from([0xe9]),
      Buffer.from(' Descartes,rene@example.com\n'),
    ]);
    const response = await upload(latin1, 'latin1.csv', 'text/csv; charset=windows-1252');
    expect(response.statusCode).toBe(201);
    expect(response.json().preview[0].full_name).toBe('René Descartes');
    const unknown = await upload(latin1, 'x.csv', 'text/csv; charset=klingon');
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().error.code).toBe('unsupported_media_type');
  });

  it('refuses a file name PostgreSQL cannot store', async () => {
    const response = await upload('full_name,email\nA Name,a.name@example.com', 'bad%00name.csv');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.details[0].path).toEqual(['filename']);
  });
});
