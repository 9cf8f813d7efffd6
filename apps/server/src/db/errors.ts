import { DrizzleQueryError } from 'drizzle-orm';
import pg from 'pg';

/**
 * What a database error may say in a log line, a Sentry event or a response. PostgreSQL and
 * Drizzle put row values into their errors: Drizzle's message lists the query's parameters
 * (emails, password hashes, token hashes), PostgreSQL's `detail` quotes the offending row or key,
 * and some messages quote the rejected input (`invalid input syntax for type uuid: "…"`). Only
 * the SQLSTATE and the names of database objects are safe to pass on.
 */

/** SQLSTATE classes (PostgreSQL, appendix A) and the codes seen most, by condition name. */
const CONDITIONS: Record<string, string> = {
  '08': 'connection_exception',
  '0A': 'feature_not_supported',
  '21': 'cardinality_violation',
  '22': 'data_exception',
  '23': 'integrity_constraint_violation',
  '25': 'invalid_transaction_state',
  '28': 'invalid_authorization_specification',
  '2B': 'dependent_privilege_descriptors_still_exist',
  '3D': 'invalid_catalog_name',
  '3F': 'invalid_schema_name',
  '40': 'transaction_rollback',
  '42': 'syntax_error_or_access_rule_violation',
  '53': 'insufficient_resources',
  '54': 'program_limit_exceeded',
  '55': 'object_not_in_prerequisite_state',
  '57': 'operator_intervention',
  '58': 'system_error',
  P0: 'plpgsql_error',
  XX: 'internal_error',
  '22001': 'string_data_right_truncation',
  '22003': 'numeric_value_out_of_range',
  '22007': 'invalid_datetime_format',
  '22008': 'datetime_field_overflow',
  '22021': 'character_not_in_repertoire',
  '22P02': 'invalid_text_representation',
  '23502': 'not_null_violation',
  '23503': 'foreign_key_violation',
  '23505': 'unique_violation',
  '23514': 'check_violation',
  '23P01': 'exclusion_violation',
  '25P02': 'in_failed_sql_transaction',
  '40001': 'serialization_failure',
  '40P01': 'deadlock_detected',
  '42P01': 'undefined_table',
  '42703': 'undefined_column',
  '53300': 'too_many_connections',
  '55P03': 'lock_not_available',
  '57014': 'query_canceled',
  '57P01': 'admin_shutdown',
  '57P02': 'crash_shutdown',
  '57P03': 'cannot_connect_now',
};

/**
 * Classes whose messages name database objects, types and roles but never quote a value
 * (constraint violations keep the values in `detail`, which is never passed on). Data
 * exceptions (22), PL/pgSQL raises (P0) and internal errors (XX) can quote anything.
 */
const MESSAGE_IS_SAFE = new Set(['08', '23', '25', '28', '3D', '3F', '40', '42', '53', '55', '57']);

/** The fields of a PostgreSQL error that name things rather than quote them. */
export const DATABASE_ERROR_FIELDS = [
  'severity',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

export function isPostgresError(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError;
}

export function isDrizzleQueryError(error: unknown): error is DrizzleQueryError {
  return error instanceof DrizzleQueryError;
}

export function conditionName(code: string): string {
  return CONDITIONS[code] ?? CONDITIONS[code.slice(0, 2)] ?? 'database_error';
}

/** A message for a PostgreSQL error that quotes no value: its own, or the condition's name. */
export function safePostgresMessage(error: pg.DatabaseError): string {
  const code = error.code ?? '';
  if (MESSAGE_IS_SAFE.has(code.slice(0, 2))) return error.message;
  return `${conditionName(code)} (SQLSTATE ${code || 'unknown'})`;
}

/**
 * Errors of the connection to the database rather than of a statement: the server is down,
 * restarting, refusing connections or out of them, or the pool could not get one in time.
 * They say nothing about the request, and retrying later succeeds.
 */
const UNAVAILABLE_SQLSTATES = new Set(['53300', '57P01', '57P02', '57P03']);
// node-postgres and pg-pool raise these as plain Errors, without a code.
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated\b/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Query read timeout$/,
];
// Socket and DNS failures on the way to the database.
const UNAVAILABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

function isUnavailableItself(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (isPostgresError(error)) {
    return typeof code === 'string' && (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code));
  }
  if (typeof code === 'string' && UNAVAILABLE_SOCKET_CODES.has(code)) return true;
  return UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message));
}

/**
 * True when `error`, or what it wraps (Drizzle's query error, pg-pool's timeout, an
 * AggregateError of several addresses refusing), says a backing service (the database above
 * all) cannot be reached right now, as opposed to a statement or the code being wrong.
 */
export function isConnectionError(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  if (isUnavailableItself(error)) return true;
  if (error instanceof AggregateError && error.errors.some((e) => isConnectionError(e, depth + 1)))
    return true;
  return isConnectionError(error.cause, depth + 1);
}
