import { stringify } from 'csv-stringify/sync';
import type pg from 'pg';
import { LEAD_COLUMNS, orderBy, whereClause, type LeadFilters } from './lead-queries.js';
import { presentLead, type LeadRow } from './presenters.js';

export const MAX_EXPORT_ROWS = 100_000;
const EXPORT_FIELDS = [
  'id',
  'full_name',
  'position',
  'company_name',
  'phone_number',
  'email',
  'source',
  'status',
  'category',
  'notes',
  'tags',
  'value',
  'created_at',
  'updated_at',
] as const;

/** A cell that starts like a formula is prefixed so spreadsheets show it instead of running it. */
function safeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = Array.isArray(value) ? value.join(';') : String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** The leads of a filter (the table's current view) as CSV, same order as the list. */
export async function exportLeadsCsv(pool: pg.Pool, filters: LeadFilters): Promise<string> {
  const where = whereClause(filters);
  const { rows } = await pool.query<LeadRow>(
    `SELECT ${LEAD_COLUMNS} FROM leads WHERE ${where.sql} ORDER BY ${orderBy(filters.ordering)} LIMIT ${MAX_EXPORT_ROWS}`,
    where.values,
  );
  const records = rows.map((row) => {
    const lead = presentLead(row) as Record<string, unknown>;
    return EXPORT_FIELDS.map((field) => safeCell(lead[field]));
  });
  return stringify([[...EXPORT_FIELDS], ...records]);
}
