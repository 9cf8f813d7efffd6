import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AdminRecord, UserRole } from '@bastion/contract';
import { badRequest } from '../http/errors.js';
import { canRead, type CompiledResource } from './resource.js';

/** A column value as JSON carries it: timestamps as ISO text, bigints as text. */
export function presentValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value ?? null;
}

/** The record of `row` with the fields of `names` the role may read (and always the id). */
export function presentRecord(
  resource: CompiledResource,
  row: Record<string, unknown>,
  role: UserRole | null,
  names: Iterable<string> = resource.fields.keys(),
): AdminRecord {
  const record: AdminRecord = { id: String(row[resource.idField]) };
  for (const name of names) {
    const field = resource.fields.get(name);
    if (field && canRead(field, role) && name in row) record[name] = presentValue(row[name]);
  }
  return record;
}

/** Every exposed field of a row, for audit diffs (hidden fields are not exposed, so never here). */
export function snapshot(resource: CompiledResource, row: Record<string, unknown> | null) {
  const values: Record<string, unknown> = {};
  if (!row) return values;
  for (const name of resource.fields.keys()) {
    if (name in row) values[name] = presentValue(row[name]);
  }
  return values;
}

/** Per-field before/after of the fields that changed. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name] ?? null;
    const b = after[name] ?? null;
    if (JSON.stringify(a) !== JSON.stringify(b)) changes[name] = { before: a, after: b };
  }
  // A bumped `updatedAt` next to real changes says nothing the entry's own time does not, and
  // crowds every history entry (and would be "restored" to an old time).
  if (Object.keys(changes).length > 1) delete changes.updatedAt;
  return changes;
}

/**
 * A keyset cursor: the sort it belongs to, the sort column's value as PostgreSQL prints it
 * (text keeps microseconds a JS Date would lose) and the id. Opaque to clients: base64url with
 * an HMAC, so a forged value never reaches SQL (where a bad timestamp would be a 500).
 */
export interface Cursor {
  sort: string;
  value: string | null;
  id: string;
}

function mac(key: string, body: string): Buffer {
  return createHmac('sha256', key).update(`admin-cursor:${body}`).digest().subarray(0, 16);
}

export function encodeCursor(cursor: Cursor, key: string): string {
  const body = Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString(
    'base64url',
  );
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export function decodeCursor(raw: string, sort: string, key: string): Cursor {
  const invalid = () =>
    badRequest('Invalid cursor.', [{ path: ['cursor'], message: 'Invalid or stale cursor.' }]);
  const [body, signature, extra] = raw.split('.');
  if (!body || !signature || extra !== undefined) throw invalid();
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(key, body);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    parsed[0] !== sort ||
    !(parsed[1] === null || typeof parsed[1] === 'string') ||
    typeof parsed[2] !== 'string'
  ) {
    throw invalid();
  }
  return { sort, value: parsed[1] as string | null, id: parsed[2] };
}
