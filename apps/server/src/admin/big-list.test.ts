import type { AdminList } from '@bastion/contract';
import { drizzle } from 'drizzle-orm/node-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createUser, loginAs, type TestUser } from '../../test/auth.js';
import { modules } from '../modules/index.js';
import { createBigTable, bigRowsModule } from './big-table.js';
import type { EngineContext } from './context.js';
import { listRecords, type ListInput } from './list.js';
import { adminResource } from './registry.js';
import { engineContextFor } from './test-fixture.js';

// A million rows in one table: the first page, a filtered page and searches answer without
// counting the table. Every query the engine runs for a list is captured and EXPLAINed here:
// none may scan the table sequentially, and above the threshold the count is PostgreSQL's
// estimate (`exact: false`). Timings are in `npm run bench:admin`, not here.

const ROWS = 1_000_000;
let t: TestApp;
let staff: TestUser;
const captured: { sql: string; params: unknown[] }[] = [];
let ctx: EngineContext;

beforeAll(async () => {
  t = await createTestApp({ modules: [...modules, bigRowsModule] });
  staff = await createUser(t, { role: 'staff' });
  await createBigTable(t.database.pool, ROWS);
  // The engine on a database handle that logs every query it sends.
  const db = drizzle(t.database.pool, {
    casing: 'snake_case',
    logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
  });
  ctx = engineContextFor(t, { userId: staff.id, role: 'staff' }, db);
}, 600_000);
afterAll(() => t?.close());

/** Runs a list, then EXPLAINs each query it ran; returns the answer and the plans. */
async function explainedList(input: Omit<ListInput, 'limit'>) {
  captured.length = 0;
  const answer = await listRecords(adminResource('big-rows'), ctx, { limit: 50, ...input });
  const plans: string[] = [];
  for (const query of captured) {
    if (/^explain/i.test(query.sql)) continue; // the estimate itself reads nothing
    const { rows } = await t.database.pool.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN ${query.sql}`,
      query.params,
    );
    plans.push(rows.map((row) => row['QUERY PLAN']).join('\n'));
  }
  return { answer, plans, queries: captured.map((query) => query.sql) };
}

function expectNoSeqScan(plans: string[]) {
  for (const plan of plans) expect(plan).not.toMatch(/Seq Scan on big_rows/);
}

describe('a list of 1,000,000 rows', () => {
  it('answers the first page with an estimated count and no table scan', async () => {
    const { answer, plans, queries } = await explainedList({});
    expect(answer.items).toHaveLength(50);
    // Newest first: the last row generated (a round number, so one of the rare ones).
    expect(answer.items[0]!.name).toBe(`rare ${ROWS}`);
    expect(answer.count.exact).toBe(false);
    expect(answer.count.value).toBeGreaterThan(900_000);
    expect(answer.count.value).toBeLessThan(1_100_000);
    // Only the page ran: the count came from EXPLAIN, no count(*) at all.
    expect(queries.filter((sql) => /count\(/i.test(sql))).toEqual([]);
    expectNoSeqScan(plans);
    expect(answer.nextCursor).not.toBeNull();
    // The next page walks on from the cursor, still by index.
    const next = await explainedList({ cursor: answer.nextCursor! });
    expect(next.answer.items[0]!.name).toBe(`common ${ROWS - 50}`);
    expectNoSeqScan(next.plans);
  });

  it('answers a filtered page the same way', async () => {
    const { answer, plans } = await explainedList({ filters: { status: 'paused' } });
    expect(answer.items).toHaveLength(50);
    expect(answer.items.every((item) => item.status === 'paused')).toBe(true);
    expect(answer.count.exact).toBe(false);
    expect(answer.count.value).toBeGreaterThan(200_000);
    expect(answer.count.value).toBeLessThan(300_000);
    expectNoSeqScan(plans);
  });

  it('answers a broad search with an estimate and a narrow one exactly, by index', async () => {
    const broad = await explainedList({ q: 'common' });
    expect(broad.answer.items).toHaveLength(50);
    expect(broad.answer.count.exact).toBe(false);
    expectNoSeqScan(broad.plans);

    const narrow = await explainedList({ q: 'rare' });
    expect(narrow.answer.items.every((item) => String(item.name).startsWith('rare'))).toBe(true);
    expect(narrow.answer.count).toEqual({ value: 1000, exact: true });
    // The exact count is bounded (LIMIT threshold + 1) and uses the trigram index.
    const countPlan = narrow.plans.find((plan) => /Aggregate/.test(plan))!;
    expect(countPlan).toMatch(/Limit/);
    expect(countPlan).toMatch(/big_rows_name_trgm_idx/);
    expectNoSeqScan(narrow.plans);
  });

  it('serves the same over HTTP, without the hidden column', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/admin/resources/big-rows',
      query: { filters: JSON.stringify({ status: 'closed' }), limit: '20' },
      headers: await loginAs(t, staff),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as AdminList;
    expect(body.count.exact).toBe(false);
    expect(body.items).toHaveLength(20);
    expect(response.body).not.toContain('SECRET-');
  });
});
