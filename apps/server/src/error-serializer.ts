import {
  DATABASE_ERROR_FIELDS,
  isDrizzleQueryError,
  isPostgresError,
  safePostgresMessage,
} from './db/errors.js';

/**
 * What an error becomes in a log line (pino's `err` serializer) and in a Sentry event: its type,
 * a message that quotes no row value or query parameter, its code, its stack frames and a short
 * list of named fields, with its cause chain, bounded. Nothing else an error object holds is
 * copied: a pg error can hold its `client` (pool, socket, type parsers: ~4 KB of noise), and a
 * future library field could hold a secret, so fields are whitelisted rather than censored.
 */
export interface SerializedError {
  type: string;
  message: string;
  code?: string | number;
  stack?: string;
  cause?: SerializedError;
  errors?: SerializedError[];
  [field: string]: string | number | boolean | SerializedError | SerializedError[] | undefined;
}

const MAX_MESSAGE = 1000;
const MAX_FRAMES = 20;
const MAX_DEPTH = 3;
const MAX_AGGREGATED = 3;

/** Fields of Node's system errors and of HTTP errors that identify what failed, not with what. */
const GENERIC_FIELDS = ['errno', 'syscall', 'address', 'port', 'statusCode'] as const;

const cap = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max)}… [${text.length - max} more chars]` : text;

/** The error's class, as logs and Sentry show it. */
export function errorType(error: Error): string {
  if (isDrizzleQueryError(error)) return 'DrizzleQueryError';
  // pg names its errors after the protocol message ("error"); the class says more.
  if (isPostgresError(error)) return 'DatabaseError';
  const name = error.name;
  if (name && name !== 'Error') return name;
  return error.constructor?.name || 'Error';
}

/** The message to show for `error`: its own, except where libraries put values into it. */
export function safeErrorMessage(error: unknown): string {
  if (!(error instanceof Error)) {
    return typeof error === 'string'
      ? cap(error, MAX_MESSAGE)
      : `non-error value (${typeof error})`;
  }
  if (isPostgresError(error)) return safePostgresMessage(error);
  // Drizzle's message is the statement and every parameter; what went wrong is in its cause.
  if (isDrizzleQueryError(error)) {
    return error.cause === undefined
      ? 'Failed query'
      : `Failed query: ${safeErrorMessage(error.cause)}`;
  }
  return cap(error.message, MAX_MESSAGE);
}

/** Only the `at …` lines: a stack's first lines repeat the message, parameters and all. */
function frames(stack: string | undefined): string {
  if (!stack) return '';
  const lines = stack.split('\n').filter((line) => /^\s+at /.test(line));
  const kept = lines.slice(0, MAX_FRAMES);
  if (lines.length > kept.length) kept.push(`    … ${lines.length - kept.length} more frames`);
  return kept.join('\n');
}

function copyFields(
  target: SerializedError,
  source: Record<string, unknown>,
  fields: readonly string[],
) {
  for (const field of fields) {
    const value = source[field];
    if (typeof value === 'string') target[field] = cap(value, 200);
    else if (typeof value === 'number' || typeof value === 'boolean') target[field] = value;
  }
}

export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: safeErrorMessage(error) };
  const type = errorType(error);
  const message = safeErrorMessage(error);
  const serialized: SerializedError = { type, message };
  const fields = error as unknown as Record<string, unknown>;
  if (typeof fields.code === 'string' || typeof fields.code === 'number') {
    serialized.code = fields.code;
  }
  copyFields(serialized, fields, GENERIC_FIELDS);
  if (isPostgresError(error)) copyFields(serialized, fields, DATABASE_ERROR_FIELDS);
  if (isDrizzleQueryError(error)) {
    // The statement has $n placeholders only; its parameters never leave the process.
    serialized.query = cap(error.query, 500);
    if (isPostgresError(error.cause) && error.cause.code) serialized.code = error.cause.code;
  }
  const stackFrames = frames(error.stack);
  serialized.stack = stackFrames ? `${type}: ${message}\n${stackFrames}` : `${type}: ${message}`;
  if (depth < MAX_DEPTH) {
    if (error.cause !== undefined) serialized.cause = serializeError(error.cause, depth + 1);
    if (error instanceof AggregateError && Array.isArray(error.errors)) {
      serialized.errors = error.errors
        .slice(0, MAX_AGGREGATED)
        .map((inner: unknown) => serializeError(inner, depth + 1));
    }
  }
  return serialized;
}

/** `error` and the errors it was caused by, outermost first (as Sentry links them). */
export function causeChain(error: unknown, limit = 5): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && chain.length < limit) {
    chain.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return chain;
}
