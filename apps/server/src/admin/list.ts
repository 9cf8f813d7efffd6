import type { AdminFacet, AdminList, AdminRecord } from '@bastion/contract';
import { and, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { badRequest } from '../http/errors.js';
import type { EngineContext } from './context.js';
import { countRows, facetCounts } from './count.js';
import {
  afterCursor,
  orderBy,
  parseSort,
  selectionWhere,
  type Selection,
  type Sort,
} from './query.js';
import { findAdminResource } from './registry.js';
import { canRead, parseId, type CompiledResource } from './resource.js';
import { titlesByIds } from './search.js';
import { asInputError } from './validate.js';
import { decodeCursor, encodeCursor, presentRecord } from './values.js';

export interface ListInput extends Selection {
  sort?: string | undefined;
  cursor?: string | undefined;
  limit: number;
  /** Comma-separated, or a list. */
  columns?: string | string[] | undefined;
  facets?: string | undefined;
}

const csv = (raw: string | string[] | undefined) =>
  (Array.isArray(raw) ? raw : (raw ?? '').split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** The readable columns asked for (default: the list columns the caller may read). */
export function resolveColumns(
  resource: CompiledResource,
  ctx: Pick<EngineContext, 'actor'>,
  raw: string | string[] | undefined,
): string[] {
  const asked = csv(raw);
  if (asked.length === 0) {
    return resource.list.filter((name) => canRead(resource.fields.get(name)!, ctx.actor.role));
  }
  for (const name of asked) {
    const field = resource.fields.get(name);
    if (!field || !canRead(field, ctx.actor.role)) {
      throw badRequest('Invalid columns.', [
        { path: ['columns'], message: `Unknown field: ${name.slice(0, 64)}.` },
      ]);
    }
  }
  return [...new Set(asked)];
}

/** SELECT list: the columns, the id, and the sort column as text for the cursor. */
export function selectedFields(resource: CompiledResource, columns: string[], sort: Sort) {
  const fields: Record<string, PgColumn | SQL.Aliased> = {
    [resource.idField]: resource.idColumn,
    __id: sql<string>`${resource.idColumn}::text`.as('__id'),
    __sort: sql<string | null>`${sort.column}::text`.as('__sort'),
  };
  for (const name of columns) fields[name] = resource.fields.get(name)!.column;
  return fields;
}

export interface ListPlan {
  sort: Sort;
  columns: string[];
  /** Selection only (what the count uses). */
  where: SQL | undefined;
  /** Selection and cursor (what the page uses). */
  pageWhere: SQL | undefined;
}

/** What `listRecords` will run, for it and for tests that EXPLAIN it. */
export function planList(
  resource: CompiledResource,
  ctx: EngineContext,
  input: ListInput,
): ListPlan {
  const sort = parseSort(resource, ctx.actor, input.sort);
  const columns = resolveColumns(resource, ctx, input.columns);
  const where = selectionWhere(resource, ctx.actor, input);
  const cursor = input.cursor ? decodeCursor(input.cursor, sort.key, ctx.cursorKey) : undefined;
  const pageWhere = cursor ? and(where, afterCursor(resource, sort, cursor)) : where;
  return { sort, columns, where, pageWhere };
}

/** One page in keyset order plus the next cursor: the page query for a plan. */
export function pageQuery(
  resource: CompiledResource,
  ctx: EngineContext,
  plan: ListPlan,
  limit: number,
) {
  return ctx.db
    .select(selectedFields(resource, plan.columns, plan.sort))
    .from(resource.table)
    .where(plan.pageWhere)
    .orderBy(...orderBy(resource, plan.sort))
    .limit(limit + 1);
}

export async function listPage(
  resource: CompiledResource,
  ctx: EngineContext,
  plan: ListPlan,
  limit: number,
): Promise<{ items: AdminRecord[]; nextCursor: string | null }> {
  const rows = (await pageQuery(resource, ctx, plan, limit)) as Record<string, unknown>[];
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page.at(-1);
  return {
    items: page.map((row) => presentRecord(resource, row, ctx.actor.role, plan.columns)),
    nextCursor:
      more && last
        ? encodeCursor(
            { sort: plan.sort.key, value: last.__sort as string | null, id: String(last.__id) },
            ctx.cursorKey,
          )
        : null,
  };
}

/**
 * `{ ownerId: { <id>: 'Ada Lovelace' } }`: the titles of the page's foreign keys, so a list shows
 * names rather than ids without a request per row. Only titles the caller's lookup would give.
 */
async function refTitles(
  resource: CompiledResource,
  ctx: EngineContext,
  items: readonly AdminRecord[],
): Promise<Record<string, Record<string, string>>> {
  const out: Record<string, Record<string, string>> = {};
  for (const field of resource.fields.values()) {
    const target = field.ref ? findAdminResource(field.ref) : undefined;
    if (!target || !canRead(field, ctx.actor.role)) continue;
    const ids = [
      ...new Set(
        items
          .map((item) => item[field.name])
          .filter((v) => v != null)
          .map(String),
      ),
    ].filter((id) => parseId(target, id) !== undefined);
    const titles = await titlesByIds(target, ctx, ids);
    if (Object.keys(titles).length > 0) out[field.name] = titles;
  }
  return out;
}

export async function listRecords(
  resource: CompiledResource,
  ctx: EngineContext,
  input: ListInput,
): Promise<AdminList> {
  const plan = planList(resource, ctx, input);
  const facetFields = csv(input.facets).map((name) => {
    const field = resource.fields.get(name);
    const kind = field?.filterKind;
    if (
      !field ||
      !resource.filters.includes(name) ||
      !canRead(field, ctx.actor.role) ||
      (kind !== 'choice' && kind !== 'boolean')
    ) {
      throw badRequest('Invalid facets.', [
        { path: ['facets'], message: `Not a choice or boolean filter: ${name.slice(0, 64)}.` },
      ]);
    }
    return field;
  });
  const [page, count] = await asInputError(() =>
    Promise.all([
      listPage(resource, ctx, plan, input.limit),
      countRows(ctx.db, resource, plan.where),
    ]),
  );
  const answer: AdminList = { ...page, count };
  const refs = await refTitles(resource, ctx, page.items);
  if (Object.keys(refs).length > 0) answer.refs = refs;
  if (facetFields.length > 0) {
    const facets: Record<string, AdminFacet> = {};
    for (const field of facetFields) {
      // Each facet counts within the other filters, as a filter bar shows them.
      const others = { ...input, filters: { ...input.filters } };
      delete others.filters[field.name];
      const where = selectionWhere(resource, ctx.actor, others);
      facets[field.name] = await asInputError(() => facetCounts(ctx.db, resource, field, where));
    }
    answer.facets = facets;
  }
  return answer;
}
