import type { AdminCount, AdminFacet } from '@bastion/contract';
import { and, sql, type SQL } from 'drizzle-orm';
import type { AdminExecutor } from './define.js';
import type { CompiledField, CompiledResource } from './resource.js';

// Counting without counting everything: a list on a table of millions must not scan it to print
// "1,234,567 leads". PostgreSQL's planner already estimates how many rows a WHERE matches (from
// its statistics); above the threshold that estimate is the answer, marked `exact: false`.
// Below it, a count that stops at threshold + 1 rows is cheap and exact.

const where = (condition: SQL | undefined) => condition ?? sql`true`;

/** The planner's row estimate for the selection (EXPLAIN plans it, nothing is read). */
export async function estimateRows(
  db: AdminExecutor,
  resource: CompiledResource,
  condition: SQL | undefined,
): Promise<number> {
  const result = await db.execute<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(
    sql`explain (format json) select 1 from ${resource.table} where ${where(condition)}`,
  );
  const plan = result.rows[0]?.['QUERY PLAN'];
  return Math.round(plan?.[0]?.Plan['Plan Rows'] ?? 0);
}

/** `SELECT count(*)` over at most `limit` rows: exact when below it. */
export function boundedCountQuery(
  resource: CompiledResource,
  condition: SQL | undefined,
  limit: number,
): SQL {
  return sql`select count(*)::int as n from (select 1 from ${resource.table} where ${where(condition)} limit ${limit}) as bounded`;
}

export async function countRows(
  db: AdminExecutor,
  resource: CompiledResource,
  condition: SQL | undefined,
): Promise<AdminCount> {
  const threshold = resource.countThreshold;
  const estimate = await estimateRows(db, resource, condition);
  if (estimate > threshold) return { value: estimate, exact: false };
  const result = await db.execute<{ n: number }>(
    boundedCountQuery(resource, condition, threshold + 1),
  );
  const n = result.rows[0]?.n ?? 0;
  // The statistics were wrong (stale, or a skewed filter): say so rather than count on.
  if (n > threshold) return { value: Math.max(estimate, n), exact: false };
  return { value: n, exact: true };
}

/** The values a facet counts: a field's choices, or true/false. */
function facetValues(field: CompiledField): (string | boolean)[] {
  if (field.type === 'boolean') return [true, false];
  return field.choices?.map((choice) => choice.value) ?? [];
}

/**
 * Counts per value of a choice/boolean field within the selection. When the selection is small
 * (estimated under the count threshold) a GROUP BY answers exactly; otherwise each value's count is the planner's
 * estimate (one EXPLAIN per choice, no table read).
 */
export async function facetCounts(
  db: AdminExecutor,
  resource: CompiledResource,
  field: CompiledField,
  condition: SQL | undefined,
): Promise<AdminFacet> {
  if ((await estimateRows(db, resource, condition)) <= resource.countThreshold) {
    const result = await db.execute<{ value: unknown; n: number }>(
      sql`select ${field.column} as value, count(*)::int as n from ${resource.table}
          where ${where(condition)} group by 1 order by 2 desc limit 100`,
    );
    return { exact: true, values: result.rows.map((row) => ({ value: row.value, count: row.n })) };
  }
  const values = await Promise.all(
    facetValues(field).map(async (value) => ({
      value,
      count: await estimateRows(db, resource, and(condition, sql`${field.column} = ${value}`)),
    })),
  );
  return { exact: false, values: values.filter((value) => value.count > 0) };
}
