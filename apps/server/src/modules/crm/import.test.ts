import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsHarness, type JobsHarness } from '../jobs/test-support/harness.js';
import { staffHeaders } from './test-support.js';

let t: JobsHarness;
let headers: Record<string, string>;

function upload(csv: string, filename = 'leads.csv') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/leads/imports?filename=${filename}`,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload: csv,
  });
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

  it('refuses to apply the same import twice', async () => {
    const preview = (await upload('full_name,email\nOnce Only,once@example.com')).json();
    const url = `/api/v1/leads/imports/${preview.id}/apply`;
    expect((await t.app.inject({ method: 'POST', url, headers })).statusCode).toBe(202);
    expect((await t.app.inject({ method: 'POST', url, headers })).statusCode).toBe(409);
  });

  it('refuses a file without a name column, an empty file and broken CSV', async () => {
    expect((await upload('email\nx@example.com')).statusCode).toBe(400);
    expect((await upload('   ')).statusCode).toBe(400);
    const broken = await upload('full_name,email\n"unterminated,x@example.com');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.details[0].path).toEqual(['file']);
  });
});
