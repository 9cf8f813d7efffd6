import type { AdminFilters, AdminFilterValue } from '@bastion/contract';
import type { LocationQuery, LocationQueryRaw } from 'vue-router';

// A list's state in the URL, so a link (or a reload, or "back") shows the same rows: search
// `q`, filters `f` (JSON), `sort`, columns `cols`, the page `cursor`, the saved `view`,
// whether soft-deleted rows show (`deleted`) and whether the filters show counts (`counts`).

export interface ListState {
  q: string;
  filters: AdminFilters;
  sort: string;
  columns: string[];
  cursor: string;
  view: string;
  /** Soft-deleted rows: '' leaves them out. */
  deleted: '' | 'include' | 'only';
  /** Counts next to each choice of the filters (a query per filter, so opt-in). */
  counts: boolean;
}

function one(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** Filters from the URL; anything that is not a JSON object reads as no filters. */
export function parseFilters(raw: string): AdminFilters {
  if (!raw) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    return parsed as AdminFilters;
  } catch {
    return {};
  }
}

export function readListState(query: LocationQuery): ListState {
  const cols = one(query.cols);
  return {
    q: one(query.q),
    filters: parseFilters(one(query.f)),
    sort: one(query.sort),
    columns: cols ? cols.split(',').filter(Boolean) : [],
    cursor: one(query.cursor),
    view: one(query.view),
    deleted:
      one(query.deleted) === 'include' || one(query.deleted) === 'only'
        ? (one(query.deleted) as 'include' | 'only')
        : '',
    counts: one(query.counts) === '1',
  };
}

/**
 * Whether a filter value selects anything (blank ones are left out of the URL and the API);
 * `null` does: it asks for rows where the field is empty.
 */
export function isSet(value: AdminFilterValue | undefined): boolean {
  if (value === null) return true;
  if (value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Boolean(value.from || value.to);
  return true;
}

export function cleanFilters(filters: AdminFilters): AdminFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => isSet(value)));
}

export function writeListState(state: Partial<ListState>): LocationQueryRaw {
  const filters = cleanFilters(state.filters ?? {});
  const query: LocationQueryRaw = {};
  if (state.q) query.q = state.q;
  if (Object.keys(filters).length) query.f = JSON.stringify(filters);
  if (state.sort) query.sort = state.sort;
  if (state.columns?.length) query.cols = state.columns.join(',');
  if (state.cursor) query.cursor = state.cursor;
  if (state.view) query.view = state.view;
  if (state.deleted) query.deleted = state.deleted;
  if (state.counts) query.counts = '1';
  return query;
}

/** `-createdAt` → { field: 'createdAt', descending: true }. */
export function parseSort(sort: string): { field: string; descending: boolean } {
  return sort.startsWith('-')
    ? { field: sort.slice(1), descending: true }
    : { field: sort, descending: false };
}

/** Clicking a column: ascending first, then descending, for the same column. */
export function nextSort(current: string, field: string): string {
  const { field: currentField, descending } = parseSort(current);
  return currentField === field && !descending ? `-${field}` : field;
}
