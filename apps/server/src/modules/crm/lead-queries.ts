import { LEAD_ORDERINGS, type LeadCreate } from '@bastion/contract';
import type pg from 'pg';
import { containsPattern } from '../../db/like.js';
import type { LeadRow } from './presenters.js';

// The hot paths (list, detail, create) in hand-written SQL over the pool, as named prepared
// statements: PostgreSQL parses and plans each once per connection instead of once per request.
// Everything else in the CRM goes through Drizzle.

// Timestamps come back as ISO 8601 text (UTC, microseconds, like DRF): formatting them in
// PostgreSQL is cheaper than parsing them into Dates and formatting again in JavaScript.
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'`;
export const LEAD_COLUMNS =
  'id, full_name, position, company_name, phone_number, email, source, status, category, ' +
  'notes, owner_id, tags, value::float8 AS value, ' +
  `to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS created_at, ` +
  `to_char(updated_at AT TIME ZONE 'UTC', ${ISO}) AS updated_at`;

export interface LeadFilters {
  status?: string;
  source?: string;
  category?: string;
  ownerId?: string;
  search?: string;
  ordering?: string;
}

/** Nullable columns sort their blanks last; NOT NULL ones keep plain ASC/DESC, as indexed. */
const NULLABLE = new Set(['company_name', 'value']);
const ORDER_COLUMNS: Record<string, string> = {
  created_at: 'created_at',
  updated_at: 'updated_at',
  full_name: 'full_name',
  company_name: 'company_name',
  status: 'status',
  value: 'value',
};

/** DRF OrderingFilter: comma list of allowed fields, `-` for descending, unknown ones ignored. */
export function orderBy(ordering: string | undefined): string {
  const terms: string[] = [];
  for (const raw of (ordering ?? '').split(',')) {
    const term = raw.trim();
    if (!(LEAD_ORDERINGS as readonly string[]).includes(term)) continue;
    const column = ORDER_COLUMNS[term.replace(/^-/, '')];
    if (!column) continue;
    const direction = term.startsWith('-') ? 'DESC' : 'ASC';
    terms.push(`leads.${column} ${direction}${NULLABLE.has(column) ? ' NULLS LAST' : ''}`);
  }
  // Qualified: a bare `created_at` would sort by the formatted text column of the SELECT list,
  // which no index serves.
  if (terms.length === 0) return 'leads.created_at DESC, leads.id DESC';
  return [...terms, 'leads.id DESC'].join(', ');
}

/** The WHERE clause and its values; the same filter set always yields the same SQL text. */
export function whereClause(filters: LeadFilters): { sql: string; values: unknown[]; key: string } {
  const parts = ['deleted_at IS NULL'];
  const values: unknown[] = [];
  let key = '';
  const add = (flag: string, sql: (n: number) => string, value: unknown) => {
    values.push(value);
    parts.push(sql(values.length));
    key += flag;
  };
  if (filters.status) add('s', (n) => `status = $${n}`, filters.status);
  if (filters.source) add('o', (n) => `source = $${n}`, filters.source);
  if (filters.category) add('c', (n) => `category = $${n}`, filters.category);
  if (filters.ownerId) add('w', (n) => `owner_id = $${n}`, filters.ownerId);
  const search = filters.search?.trim();
  if (search) {
    add(
      'q',
      (n) => `(full_name ILIKE $${n} OR company_name ILIKE $${n} OR email ILIKE $${n})`,
      containsPattern(search),
    );
  }
  return { sql: parts.join(' AND '), values, key: key || 'all' };
}

// Statement names must map to one SQL text each: the filter key plus the ordering, hashed small.
const orderNames = new Map<string, number>();
function orderId(order: string): number {
  let id = orderNames.get(order);
  if (id === undefined) {
    id = orderNames.size;
    orderNames.set(order, id);
  }
  return id;
}

export async function listLeadRows(
  pool: pg.Pool,
  filters: LeadFilters,
  limit: number,
  offset: number,
): Promise<{ count: number; rows: LeadRow[] }> {
  const where = whereClause(filters);
  const order = orderBy(filters.ordering);
  const n = where.values.length;
  // Count and page in parallel on two connections: the list's latency is the slower of the two.
  const [countResult, pageResult] = await Promise.all([
    pool.query<{ count: number }>({
      name: `crm_lead_count_${where.key}`,
      text: `SELECT count(*)::int AS count FROM leads WHERE ${where.sql}`,
      values: where.values,
    }),
    pool.query<LeadRow>({
      name: `crm_lead_page_${where.key}_${orderId(order)}`,
      text: `SELECT ${LEAD_COLUMNS} FROM leads WHERE ${where.sql} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`,
      values: [...where.values, limit, offset],
    }),
  ]);
  return { count: countResult.rows[0]?.count ?? 0, rows: pageResult.rows };
}

const LEAD_BY_ID = `SELECT ${LEAD_COLUMNS} FROM leads WHERE id = $1 AND deleted_at IS NULL`;

export async function findLeadRow(pool: pg.Pool, id: number): Promise<LeadRow | undefined> {
  const { rows } = await pool.query<LeadRow>({
    name: 'crm_lead_by_id',
    text: LEAD_BY_ID,
    values: [id],
  });
  return rows[0];
}

const LEAD_INSERT =
  'WITH lead AS (INSERT INTO leads (full_name, position, company_name, phone_number, email, ' +
  'source, status, category, notes, owner_id, tags, value) ' +
  `VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, coalesce($11, '{}'::text[]), $12) RETURNING ${LEAD_COLUMNS}), ` +
  'activity AS (INSERT INTO lead_activities (lead_id, kind, to_status, actor_id) ' +
  'SELECT id, $13, status, $14 FROM lead) SELECT * FROM lead';

/**
 * Inserts the lead and its "created" timeline entry in one statement: one round trip, and
 * atomic (a single statement is its own transaction), so there is never a lead without history.
 */
export async function insertLeadRow(
  pool: pg.Pool | pg.PoolClient,
  lead: LeadCreate,
  actorId: string | null,
  activityKind: 'created' | 'imported' = 'created',
): Promise<LeadRow> {
  const { rows } = await pool.query<LeadRow>({
    name: 'crm_lead_insert',
    text: LEAD_INSERT,
    values: [
      lead.full_name,
      lead.position,
      lead.company_name,
      lead.phone_number,
      lead.email,
      lead.source,
      lead.status,
      lead.category,
      lead.notes,
      lead.owner_id ?? null,
      lead.tags ?? null,
      lead.value ?? null,
      activityKind,
      actorId,
    ],
  });
  const row = rows[0];
  if (!row) throw new Error('INSERT … RETURNING returned no row');
  return row;
}
