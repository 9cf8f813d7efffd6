import { and, count, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import { auditEvents } from './schema.js';

/** Anything that can insert: the database or a transaction. */
type Executor = Pick<Database, 'insert'>;

export interface AuditEntry {
  action: string;
  /** Defaults to the request's caller. */
  actorId?: string | null;
  actor?: string;
  target?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Records one audit event. Actions are dotted verbs: `auth.login`, `auth.login_failed`,
 * `auth.logout`, `user.signup`, `user.password_changed`, `api_token.created`, `user.role_changed`…
 */
export async function recordAudit(
  db: Executor,
  entry: AuditEntry & { ip?: string | null; userAgent?: string | null },
): Promise<void> {
  await db.insert(auditEvents).values({
    actorId: entry.actorId ?? null,
    actor: entry.actor ?? (entry.actorId ? `user:${entry.actorId}` : 'anonymous'),
    action: entry.action,
    target: entry.target ?? null,
    ip: entry.ip ?? null,
    userAgent: entry.userAgent?.slice(0, 500) ?? null,
    data: entry.data ?? {},
  });
}

/** Records an event from inside a request: the caller, IP and user agent come from it. */
export function auditRequest(db: Executor, request: FastifyRequest, entry: AuditEntry) {
  const auth = request.auth;
  const actorId = entry.actorId !== undefined ? entry.actorId : auth.userId;
  const actor =
    entry.actor ??
    (actorId
      ? `user:${actorId}`
      : auth.kind === 'api_key'
        ? `api_key:${auth.apiKeyId}`
        : 'anonymous');
  return recordAudit(db, {
    ...entry,
    actorId,
    actor,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  });
}

/** How many `action` events happened after `since`, optionally with `data` fields equal to these. */
export async function countAuditEvents(
  db: Pick<Database, 'select'>,
  filter: { action: string; since: Date; data?: Record<string, string> },
): Promise<number> {
  const conditions: SQL[] = [
    eq(auditEvents.action, filter.action),
    gt(auditEvents.createdAt, filter.since),
  ];
  for (const [key, value] of Object.entries(filter.data ?? {})) {
    conditions.push(sql`${auditEvents.data}->>${key} = ${value}`);
  }
  const [row] = await db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(...conditions));
  return row?.n ?? 0;
}
