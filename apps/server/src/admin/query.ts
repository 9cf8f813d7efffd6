import {
  adminFiltersSchema,
  type AdminFilters,
  type AdminFilterValue,
  type FieldError,
} from '@bastion/contract';
import { and, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { badRequest } from '../http/errors.js';
import { containsPattern } from '../db/like.js';
import type { AdminActor } from './define.js';
import {
  canRead,
  integerBound,
  parseId,
  type CompiledField,
  type CompiledResource,
} from './resource.js';
import type { Cursor } from './values.js';

// Turns a search, filters and a sort into SQL against any resource's table. Every value goes in
// as a parameter; every column comes from the compiled definition, never from the request.

export type DeletedMode = 'exclude' | 'include' | 'only';

export interface Selection {
  q?: string | undefined;
  filters?: AdminFilters | undefined;
  deleted?: DeletedMode | undefined;
}

/** `filters` of a query string: a JSON object, or a 400 naming the parameter. */
export function parseFiltersParam(raw: string | undefined): AdminFilters | undefined {
  if (raw === undefined || raw === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw badRequest('Invalid filters.', [
      { path: ['filters'], message: 'Expected a JSON object.' },
    ]);
  }
  const parsed = adminFiltersSchema.safeParse(value);
  if (!parsed.success) {
    throw badRequest(
      'Invalid filters.',
      parsed.error.issues.map((issue) => ({
        path: ['filters', ...issue.path.map((part) => String(part))],
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A scalar as the column accepts it, or undefined when it cannot be one. */
function columnValue(column: PgColumn, value: unknown): unknown {
  if (column.dataType === 'number' || column.dataType === 'bigint') {
    const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
    const whole = column.columnType !== 'PgNumeric' && column.columnType !== 'PgNumericNumber';
    const fits = whole ? Number.isInteger(n) && Math.abs(n) <= integerBound(column) : true;
    return Number.isFinite(n) && Math.abs(n) <= Number.MAX_SAFE_INTEGER && fits && value !== ''
      ? n
      : undefined;
  }
  if (column.columnType === 'PgUUID') {
    return typeof value === 'string' && UUID.test(value) ? value : undefined;
  }
  if (column.dataType === 'boolean') return typeof value === 'boolean' ? value : undefined;
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

function filterCondition(field: CompiledField, value: AdminFilterValue): SQL | string {
  const column = field.column;
  if (value === null) return isNull(column);
  switch (field.filterKind) {
    case 'boolean':
      if (typeof value === 'boolean') return eq(column, value);
      if (value === 'true' || value === 'false') return eq(column, value === 'true');
      return 'Expected true or false.';
    case 'date': {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return 'Expected a range: {"from": "…", "to": "…"} (ISO 8601).';
      }
      // PostgreSQL has no year 0 and stops at 294276: keep to years 1–9999, as forms do.
      for (const bound of [value.from, value.to]) {
        const year = bound ? new Date(bound).getUTCFullYear() : 2000;
        if (!(year >= 1 && year <= 9999)) return 'Dates run from year 1 to 9999.';
      }
      const parts: SQL[] = [];
      if (value.from) parts.push(sql`${column} >= ${value.from}`);
      if (value.to) parts.push(sql`${column} < ${value.to}`);
      return parts.length > 0 ? and(...parts)! : 'Give from, to or both.';
    }
    case 'choice': {
      const allowed = new Set(field.choices?.map((choice) => choice.value));
      const values = Array.isArray(value) ? value : [value];
      if (values.length === 0) return 'Choose at least one value.';
      for (const item of values) {
        if (typeof item !== 'string' || (allowed.size > 0 && !allowed.has(item))) {
          return `Not one of the choices: ${String(item).slice(0, 50)}.`;
        }
      }
      if (field.type === 'tags') return sql`${column} && ${sql.param(values)}::text[]`;
      return values.length === 1 ? eq(column, values[0]!) : inArray(column, values);
    }
    default: {
      if (field.type === 'tags') {
        return typeof value === 'string'
          ? sql`${column} @> ARRAY[${value}]::text[]`
          : 'Expected a tag.';
      }
      const values = Array.isArray(value) ? value : [value];
      const converted = values.map((item) => columnValue(column, item));
      if (converted.length === 0 || converted.some((item) => item === undefined)) {
        return field.filterKind === 'fk' ? 'Not a valid id.' : 'Not a valid value.';
      }
      return converted.length === 1 ? eq(column, converted[0]) : inArray(column, converted);
    }
  }
}

/** The search condition of `q` over the resource's search fields (and the id, when q is one). */
function searchCondition(resource: CompiledResource, q: string, fields: string[]): SQL | undefined {
  const term = q.trim();
  if (term === '') return undefined;
  const parts: SQL[] = [];
  const id = parseId(resource, term);
  if (id !== undefined) parts.push(eq(resource.idColumn, id));
  for (const name of fields) {
    const field = resource.fields.get(name)!;
    const column = field.column;
    if (column.dataType === 'string' && column.columnType !== 'PgUUID') {
      parts.push(ilike(column, containsPattern(term)));
    } else {
      const value = columnValue(column, term);
      if (value !== undefined) parts.push(eq(column, value));
    }
  }
  return parts.length > 0 ? or(...parts) : sql`false`;
}

/**
 * Everything a selection means for `actor`: the resource's row scope, soft deletes, search and
 * filters. Filters and search only use fields the actor may read (a filter on a field you may
 * not read would tell its values); a wrong one is a 400 naming it.
 */
export function selectionWhere(
  resource: CompiledResource,
  actor: AdminActor,
  selection: Selection,
  errorPath: string = 'filters',
): SQL | undefined {
  const conditions: (SQL | undefined)[] = [resource.definition.scope?.(actor)];
  const mode = selection.deleted ?? 'exclude';
  if (resource.softDelete && mode === 'exclude') conditions.push(isNull(resource.softDelete));
  if (resource.softDelete && mode === 'only') conditions.push(isNotNull(resource.softDelete));

  const errors: FieldError[] = [];
  for (const [name, value] of Object.entries(selection.filters ?? {})) {
    const field = resource.fields.get(name);
    if (!field || !resource.filters.includes(name) || !canRead(field, actor.role)) {
      errors.push({ path: [errorPath, name], message: 'Not a filter of this resource.' });
      continue;
    }
    const condition = filterCondition(field, value);
    if (typeof condition === 'string') errors.push({ path: [errorPath, name], message: condition });
    else conditions.push(condition);
  }
  if (errors.length > 0) throw badRequest('Invalid filters.', errors);

  if (selection.q) {
    const fields = resource.search.filter((name) =>
      canRead(resource.fields.get(name)!, actor.role),
    );
    conditions.push(searchCondition(resource, selection.q, fields));
  }
  return and(...conditions.filter((c): c is SQL => c !== undefined));
}

export interface Sort {
  /** As given: `-createdAt`. */
  key: string;
  field: string;
  column: PgColumn;
  descending: boolean;
  nullable: boolean;
}

/** The sort of a request (default: the resource's), or a 400 when it is not a sortable field. */
export function parseSort(resource: CompiledResource, actor: AdminActor, raw?: string): Sort {
  const key = raw && raw !== '' ? raw : resource.defaultSort;
  const descending = key.startsWith('-');
  const field = descending ? key.slice(1) : key;
  if (field === resource.idField) {
    return { key, field, column: resource.idColumn, descending, nullable: false };
  }
  const compiled = resource.fields.get(field);
  if (!compiled || !resource.sortable.includes(field) || !canRead(compiled, actor.role)) {
    throw badRequest('Invalid sort.', [{ path: ['sort'], message: 'Not a sortable field.' }]);
  }
  return { key, field, column: compiled.column, descending, nullable: !compiled.column.notNull };
}

/** ORDER BY of a sort with the id as tie-breaker; NULLs where PostgreSQL puts them by default. */
export function orderBy(resource: CompiledResource, sort: Sort): SQL[] {
  const direction = sort.descending ? sql`desc` : sql`asc`;
  const order = [sql`${sort.column} ${direction}`];
  if (sort.column !== resource.idColumn) order.push(sql`${resource.idColumn} ${direction}`);
  return order;
}

/**
 * Rows after the cursor in that order. NOT NULL columns use a row comparison (an index on
 * (column, id) serves it); nullable ones spell out where NULLs sit (last ascending, first
 * descending, PostgreSQL's default, so plain indexes still match).
 */
export function afterCursor(resource: CompiledResource, sort: Sort, cursor: Cursor): SQL {
  const id = parseId(resource, cursor.id);
  const cmp = sort.descending ? sql`<` : sql`>`;
  if (sort.column === resource.idColumn) return sql`${resource.idColumn} ${cmp} ${id ?? null}`;
  const idAfter = sql`${resource.idColumn} ${cmp} ${id ?? null}`;
  if (!sort.nullable) {
    return sql`(${sort.column}, ${resource.idColumn}) ${cmp} (${cursor.value}, ${id ?? null})`;
  }
  if (cursor.value === null) {
    // Descending: NULLs came first, the rest follows. Ascending: only NULLs remain.
    return sort.descending
      ? sql`((${sort.column} is null and ${idAfter}) or ${sort.column} is not null)`
      : sql`(${sort.column} is null and ${idAfter})`;
  }
  const after = sql`(${sort.column} ${cmp} ${cursor.value} or (${sort.column} = ${cursor.value} and ${idAfter}))`;
  return sort.descending ? after : sql`(${after} or ${sort.column} is null)`;
}
