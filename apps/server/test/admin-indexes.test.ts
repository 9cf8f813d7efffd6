import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineContext } from '../src/admin/context.js';
import { boundedCountQuery } from '../src/admin/count.js';
import { pageQuery, planList } from '../src/admin/list.js';
import { adminResources } from '../src/admin/registry.js';
import { engineContextFor } from '../src/admin/test-fixture.js';
import type { CompiledResource } from '../src/admin/resource.js';
import { modules } from '../src/modules/index.js';
import { installModules } from '../src/modules/install.js';
import { createTestApp, type TestApp } from './app.js';
import { createUser } from './auth.js';

// Every admin list of a table that grows with use (the audit log, the outbox, scans, users…)
// must find its first page and its search matches by index, or the admin slows down exactly
// where it is needed most. The planner is told to avoid sequential scans at any cost: when it
// still plans one, no index can serve the query. (`src/admin/big-list.test.ts` does the same
// on a million real rows for the engine itself; timings are in `npm run bench:admin`.)

/** Tables that stay small by nature: a seq scan of a few hundred rows is the right plan. */
const SMALL = new Map([
  ['api-tokens', 'a few per user'],
  ['api-keys', 'issued by admins'],
  ['job-schedules', 'one row per schedule'],
  ['lead-imports', 'one row per uploaded file'],
  ['lead-notes', 'listed per lead (inline), by the lead index'],
  ['scan-targets', 'the sites users register'],
  ['sessions', 'expired ones are deleted by accounts.cleanup'],
]);

// The resources are known once the manifests are installed (the app does it too, idempotently);
// the test cases are made from them before any hook runs.
installModules(modules);

/** Value filters of a handful of values each (like the leads' source, see crm/schema.ts). */
const FEW_VALUES = new Set(['leads.source', 'newsletter-subscribers.source']);

let t: TestApp;
let ctx: EngineContext;
const dialect = new PgDialect({ casing: 'snake_case' });

beforeAll(async () => {
  t = await createTestApp();
  const admin = await createUser(t, { role: 'admin' });
  ctx = engineContextFor(t, { userId: admin.id, role: 'admin' });
});
afterAll(() => t?.close());

async function plan(query: SQL): Promise<string> {
  const { sql: text, params } = dialect.sqlToQuery(query);
  const client = await t.database.pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SET LOCAL enable_seqscan = off');
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, params);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

const growing = () => adminResources().filter((resource) => !SMALL.has(resource.name));

function firstPage(resource: CompiledResource, q?: string): SQL {
  const list = planList(resource, ctx, { limit: 50, ...(q ? { q } : {}) });
  return pageQuery(resource, ctx, list, 50).getSQL();
}

describe('admin lists of growing tables use indexes', () => {
  it('covers the tables the modules declare', () => {
    const names = growing().map((resource) => resource.name);
    expect(names).toEqual(
      expect.arrayContaining(['audit-events', 'mail-outbox', 'users', 'leads', 'scans']),
    );
    // A SMALL entry for a resource that is gone would hide nothing: keep the list true.
    const all = new Set(adminResources().map((resource) => resource.name));
    expect([...SMALL.keys()].filter((name) => !all.has(name))).toEqual([]);
  });

  it.each(growing().map((resource) => [resource.name, resource] as const))(
    '%s: the first page in the default order',
    async (_name, resource) => {
      expect(await plan(firstPage(resource))).not.toMatch(`Seq Scan on ${resource.tableName}`);
    },
  );

  it.each(
    growing()
      .filter((resource) => resource.search.length > 0)
      .map((resource) => [resource.name, resource] as const),
  )('%s: a search, its page and its count', async (_name, resource) => {
    const q = 'needle';
    const where = planList(resource, ctx, { limit: 50, q }).where;
    const count = boundedCountQuery(resource, where, resource.countThreshold + 1);
    for (const query of [firstPage(resource, q), count]) {
      expect(await plan(query)).not.toMatch(`Seq Scan on ${resource.tableName}`);
    }
  });

  // Choice and yes/no filters have a handful of values: most match a large share of rows (the
  // page walks the default order's index and the count is an estimate), so they get no index of
  // their own; nor does a free-text field with a few values. Ids, dates and text must.
  it.each(
    growing().flatMap((resource) =>
      resource.filters
        .filter((name) => {
          const kind = resource.fields.get(name)!.filterKind;
          return (
            kind !== 'choice' && kind !== 'boolean' && !FEW_VALUES.has(`${resource.name}.${name}`)
          );
        })
        .map((name) => [`${resource.name} by ${name}`, resource, name] as const),
    ),
  )('%s: a filter and its count', async (_name, resource, name) => {
    const field = resource.fields.get(name)!;
    const value =
      field.filterKind === 'date'
        ? { from: '2026-01-01T00:00:00.000Z' }
        : field.column.columnType === 'PgUUID'
          ? '00000000-0000-4000-8000-000000000000'
          : field.column.dataType === 'number'
            ? '1'
            : 'needle';
    const where = planList(resource, ctx, { limit: 50, filters: { [name]: value } }).where;
    const count = boundedCountQuery(resource, where, resource.countThreshold + 1);
    expect(await plan(count)).not.toMatch(`Seq Scan on ${resource.tableName}`);
  });
});
