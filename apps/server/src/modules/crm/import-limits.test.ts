import { PassThrough } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createApiKey, createUser, loginAs } from '../../../test/auth.js';
import { leadInput } from './test-support.js';

// Small budgets so they are reachable: 6 leads per client IP and 10 per API key per hour, 5
// imported rows per signed-in user, one import in progress per caller. No worker runs here, so
// an applied import stays `running` (in progress) for as long as the test needs.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      LEADS_CREATE_LIMIT_PER_IP: '6',
      LEADS_CREATE_LIMIT_PER_KEY: '10',
      LEADS_IMPORT_ROWS_PER_USER: '5',
      LEADS_IMPORT_CONCURRENCY: '1',
    },
  });
});
afterAll(() => t.close());

let sequence = 0;
function csv(rows: number): string {
  const lines = ['full_name,email'];
  for (let i = 0; i < rows; i++) lines.push(`Person ${++sequence},p${sequence}@example.com`);
  return lines.join('\n');
}

function upload(headers: Record<string, string>, payload: string | PassThrough, ip = '127.0.0.1') {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/leads/imports',
    remoteAddress: ip,
    headers: { ...headers, 'content-type': 'text/csv' },
    payload,
  });
}

async function previewed(headers: Record<string, string>, rows: number, ip = '127.0.0.1') {
  const response = await upload(headers, csv(rows), ip);
  expect(response.statusCode).toBe(201);
  return response.json().id as string;
}

function apply(headers: Record<string, string>, id: string, ip = '127.0.0.1') {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/leads/imports/${id}/apply`,
    remoteAddress: ip,
    headers,
  });
}

async function importStatus(id: string): Promise<string> {
  const { rows } = await t.database.pool.query('SELECT status FROM lead_imports WHERE id = $1', [
    id,
  ]);
  return rows[0].status;
}

/** Marks an import finished, as the worker would (none runs in this file). */
async function finish(id: string) {
  await t.database.pool.query(`UPDATE lead_imports SET status = 'done' WHERE id = $1`, [id]);
}

function createLead(authorization: string, ip: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/leads',
    remoteAddress: ip,
    headers: { authorization },
    payload: leadInput({ email: `single${++sequence}@example.com` }),
  });
}

describe('imported rows count against the lead-creation budgets', () => {
  it("spends an API key's per-IP and per-key budgets, all or nothing, shared with POST /leads", async () => {
    const key = { authorization: await createApiKey(t, ['leads:read', 'leads:write']) };
    // 7 rows from one IP do not fit its budget of 6: refused, nothing taken, nothing started.
    const tooMany = await previewed(key, 7, '198.51.100.1');
    const refused = await apply(key, tooMany, '198.51.100.1');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toMatchObject({ code: 'rate_limited' });
    expect(refused.json().error.message).toMatch(/7 leads/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await importStatus(tooMany)).toBe('preview');

    // 6 rows fit exactly; the refused attempt took nothing.
    const six = await previewed(key, 6, '198.51.100.1');
    expect((await apply(key, six, '198.51.100.1')).statusCode).toBe(202);
    await finish(six);
    // That IP's budget is spent, for single creates too.
    expect((await createLead(key.authorization, '198.51.100.1')).statusCode).toBe(429);
    // The key has 4 of its 10 left: 4 creates from other IPs, then nothing from anywhere.
    for (let n = 2; n <= 5; n++) {
      expect((await createLead(key.authorization, `198.51.100.${n}`)).statusCode).toBe(201);
    }
    expect((await createLead(key.authorization, '198.51.100.9')).statusCode).toBe(429);
    const one = await previewed(key, 1, '198.51.100.9');
    expect((await apply(key, one, '198.51.100.9')).statusCode).toBe(429);
  });

  it('gives a signed-in user a budget of imported rows; single creates stay unthrottled', async () => {
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    const four = await previewed(staff, 4);
    expect((await apply(staff, four)).statusCode).toBe(202);
    await finish(four);
    const two = await previewed(staff, 2);
    const refused = await apply(staff, two);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toMatch(/5 rows per 1 h/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    const one = await previewed(staff, 1);
    expect((await apply(staff, one)).statusCode).toBe(202);
    await finish(one);
    const single = await t.app.inject({
      method: 'POST',
      url: '/api/v1/leads',
      headers: staff,
      payload: leadInput({ email: `staff${++sequence}@example.com` }),
    });
    expect(single.statusCode).toBe(201);
  });
});

describe('concurrent imports per caller', () => {
  it('refuses a second upload while one is still being read, with 429 and Retry-After', async () => {
    const user = await createUser(t, { role: 'staff' });
    const staff = await loginAs(t, user);
    const other = await loginAs(t, await createUser(t, { role: 'staff' }));
    // An upload whose body is still arriving: the first rows are in, the rest is not.
    const body = new PassThrough();
    body.write(`${csv(600)}\n`);
    const first = upload(staff, body);
    for (let tries = 0; ; tries++) {
      const { rows } = await t.database.pool.query(
        `SELECT count(*)::int AS n FROM lead_imports WHERE created_by = $1 AND status = 'parsing'`,
        [user.id],
      );
      if (rows[0].n === 1) break;
      expect(tries).toBeLessThan(200);
      await delay(25);
    }
    const second = await upload(staff, csv(1));
    expect(second.statusCode).toBe(429);
    expect(second.json().error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/1 imports in progress/),
      requestId: expect.any(String),
    });
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(0);
    // Someone else is not affected.
    expect((await upload(other, csv(1))).statusCode).toBe(201);

    body.end('Last Person,last.person@example.com\n');
    const done = await first;
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({ status: 'preview', total_rows: 601, valid_rows: 601 });
    // Its slot is free again.
    expect((await upload(staff, csv(1))).statusCode).toBe(201);
  });

  it('counts an import being applied as in progress', async () => {
    const key = { authorization: await createApiKey(t, ['leads:read', 'leads:write']) };
    const id = await previewed(key, 1, '203.0.113.20');
    expect((await apply(key, id, '203.0.113.20')).statusCode).toBe(202);
    expect(await importStatus(id)).toBe('running');
    const busy = await upload(key, csv(1), '203.0.113.20');
    expect(busy.statusCode).toBe(429);
    expect(busy.headers['retry-after']).toBeDefined();
    // An import whose process died (no heartbeat for minutes) stops counting.
    await t.database.pool.query(
      `UPDATE lead_imports SET updated_at = now() - interval '10 minutes' WHERE id = $1`,
      [id],
    );
    expect((await upload(key, csv(1), '203.0.113.20')).statusCode).toBe(201);
  });

  it('sweeps uploads whose process died while reading them, with their rows', async () => {
    const { rows } = await t.database.pool.query(
      `INSERT INTO lead_imports (filename, status, updated_at)
       VALUES ('dead.csv', 'parsing', now() - interval '2 days') RETURNING id`,
    );
    const dead = rows[0].id;
    await t.database.pool.query(
      `INSERT INTO lead_import_rows (import_id, "row", lead) VALUES ($1, 1, '{}')`,
      [dead],
    );
    const staff = await loginAs(t, await createUser(t, { role: 'staff' }));
    expect((await upload(staff, csv(1))).statusCode).toBe(201);
    const left = await t.database.pool.query(
      'SELECT (SELECT count(*) FROM lead_imports WHERE id = $1)::int AS imports, (SELECT count(*) FROM lead_import_rows WHERE import_id = $1)::int AS staged',
      [dead],
    );
    expect(left.rows[0]).toEqual({ imports: 0, staged: 0 });
  });
});
