import type { FieldError } from '@bastion/contract';
import { z } from 'zod';
import { isDrizzleQueryError, isPostgresError } from '../db/errors.js';
import { badRequest, conflict, HttpError } from '../http/errors.js';
import type { AdminActor } from './define.js';
import { canWrite, type CompiledResource } from './resource.js';

// A write body, checked in three steps: every key must be a field the actor may set (403 naming
// the fields otherwise), the module's own zod schema validates it (400 with field messages under
// the admin field names), and the output is mapped to column values.

export interface ValidatedWrite {
  /** The schema's output, as the module's service expects it. */
  input: unknown;
  /** The same as column key → value. */
  values: Record<string, unknown>;
}

function schemaFor(resource: CompiledResource, op: 'create' | 'edit'): z.ZodType | undefined {
  const write = resource.definition.write ?? {};
  if (op === 'create') return write.create;
  if (write.update) return write.update;
  // No update schema: the create schema with every field optional.
  return write.create instanceof z.ZodObject ? write.create.partial() : write.create;
}

/** A timestamp given as text becomes a Date: Drizzle's timestamp columns want one. */
function toColumnValue(resource: CompiledResource, field: string, value: unknown): unknown {
  const column = resource.fields.get(field)?.column;
  if (column?.columnType === 'PgTimestamp' && typeof value === 'string') return new Date(value);
  return value;
}

export function validateWrite(
  resource: CompiledResource,
  op: 'create' | 'edit',
  actor: AdminActor,
  body: Record<string, unknown>,
): ValidatedWrite {
  const unknown: FieldError[] = [];
  const refused: FieldError[] = [];
  const input: Record<string, unknown> = {};
  const inputToField = new Map<string, string>();
  for (const field of resource.fields.values()) inputToField.set(field.input, field.name);
  for (const [key, value] of Object.entries(body)) {
    const field = resource.fields.get(key);
    if (!field) unknown.push({ path: [key], message: 'Unknown field.', code: 'unknown_field' });
    else if (!canWrite(resource, field, op, actor.role)) {
      refused.push({ path: [key], message: 'You may not set this field.', code: 'forbidden' });
    } else input[field.input] = value;
  }
  if (unknown.length > 0) throw badRequest('Some fields are invalid.', unknown);
  if (refused.length > 0) {
    throw new HttpError(403, 'forbidden', 'You may not set some of these fields.', refused);
  }

  const schema = schemaFor(resource, op);
  if (!schema) throw new HttpError(403, 'forbidden', 'This resource cannot be written here.');
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw badRequest(
      'Some fields are invalid.',
      parsed.error.issues.map((issue) => {
        const [head, ...rest] = issue.path.map((part) =>
          typeof part === 'symbol' ? String(part) : part,
        );
        const name = typeof head === 'string' ? (inputToField.get(head) ?? head) : head;
        return {
          path: name === undefined ? [] : [name, ...rest],
          message: issue.message,
          code: issue.code,
        };
      }),
    );
  }

  const given = new Set(Object.keys(body));
  const values: Record<string, unknown> = {};
  const output = parsed.data;
  if (output && typeof output === 'object') {
    for (const [key, value] of Object.entries(output as Record<string, unknown>)) {
      const name = inputToField.get(key) ?? key;
      // On create the schema's defaults count; on edit only what was sent is changed.
      if (!resource.fields.has(name) || (op === 'edit' && !given.has(name))) continue;
      values[name] = toColumnValue(resource, name, value);
    }
  }
  return { input: output, values };
}

/** Integrity errors of a write as 4xx (their details quote row values, so they are not passed on). */
export function writeError(error: unknown): unknown {
  const cause = isDrizzleQueryError(error) ? error.cause : error;
  if (!isPostgresError(cause)) return error;
  const code = cause.code ?? '';
  if (code === '23505') return conflict('Another row already has one of these values.');
  if (code === '23503') return badRequest('A referenced object does not exist.');
  if (code === '23502') {
    return badRequest('Some fields are invalid.', [
      { path: [cause.column ?? ''], message: 'This field is required.', code: 'required' },
    ]);
  }
  if (code === '23514' || code.startsWith('22')) {
    return badRequest('A value is out of range or malformed.');
  }
  return error;
}

/**
 * For reads: a filter or search value the column cannot take (past a numeric precision, say)
 * is the caller's mistake, a 400, not a 500. Everything else passes through.
 */
export async function asInputError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const cause = isDrizzleQueryError(error) ? error.cause : error;
    if (isPostgresError(cause) && (cause.code ?? '').startsWith('22')) {
      throw badRequest('A search or filter value does not fit its field.');
    }
    throw error;
  }
}
