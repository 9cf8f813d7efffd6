import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../../test/auth.js';

// The outbox in the generic admin: read-only, bodies for admins only, "retry" queues a failed
// mail for the `mail.send` job again.

let t: TestApp;
let admin: TestUser;
let staff: TestUser;
const base = '/api/v1/admin/resources/mail-outbox';

async function insertMail(status: string): Promise<string> {
  const { rows } = await t.database.pool.query<{ id: string }>(
    `INSERT INTO mail_outbox ("to", subject, text, html, status, error, attempts)
     VALUES ('someone@example.test', 'Hello', 'Body text', '<p>HTML copy</p>', $1, $2, 3)
     RETURNING id`,
    [status, status === 'failed' ? 'connection refused' : null],
  );
  return rows[0]!.id;
}

async function retry(id: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `${base}/actions/retry`,
    headers: await loginAs(t, admin),
    payload: { ids: [id] },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  // A mail server nobody listens on: retries are queued, never delivered here.
  t = await createTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
  [admin, staff] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'staff' }),
  ]);
});
afterAll(async () => {
  await t?.close();
});

describe('mail outbox in the admin', () => {
  it('shows admins the text body, never the HTML copy or headers, and nothing to staff', async () => {
    const id = await insertMail('sent');
    const detail = await t.app.inject({
      method: 'GET',
      url: `${base}/${id}`,
      headers: await loginAs(t, admin),
    });
    expect(detail.json().record).toMatchObject({ text: 'Body text', attempts: 3 });
    expect(detail.body).not.toContain('HTML copy');
    expect(detail.json().record).not.toHaveProperty('headers');
    const asStaff = await t.app.inject({
      method: 'GET',
      url: `${base}/${id}`,
      headers: await loginAs(t, staff),
    });
    expect(asStaff.statusCode).toBe(403);
  });

  it('retries failed mail through the mail.send job', async () => {
    const id = await insertMail('failed');
    expect(await retry(id)).toMatchObject({ done: 1, failed: 0 });
    const { rows } = await t.database.pool.query<{ status: string; error: string | null }>(
      'SELECT status, error FROM mail_outbox WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ status: 'pending', error: null });
    const jobs = await t.database.pool.query(
      `SELECT 1 FROM pgboss.job WHERE name = 'mail' AND data->'payload'->>'id' = $1`,
      [id],
    );
    expect(jobs.rowCount).toBe(1);
    const history = await t.app.inject({
      method: 'GET',
      url: `${base}/${id}/history`,
      headers: await loginAs(t, admin),
    });
    expect(history.json().items[0]).toMatchObject({
      kind: 'action:retry',
      changes: { status: { before: 'failed', after: 'pending' } },
    });
  });

  it('does not retry mail that did not fail', async () => {
    const result = await retry(await insertMail('sent'));
    expect(result).toMatchObject({ done: 0, failed: 1 });
    expect(result.errors[0].message).toBe('Only failed mail is retried.');
  });
});
