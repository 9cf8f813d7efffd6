import type { AdminHistory, AdminHistoryEntry, AdminWriteResult } from '@bastion/contract';
import { and, desc, eq, like, sql } from 'drizzle-orm';
import { badRequest, forbidden, HttpError, notFound } from '../http/errors.js';
import { users } from '../modules/accounts/schema.js';
import { auditEvents } from '../modules/audit/schema.js';
import type { EngineContext } from './context.js';
import { canRead, canWrite, may, type CompiledResource } from './resource.js';
import { decodeCursor, encodeCursor } from './values.js';
import { findRow, undeleteRecord, updateRecord } from './write.js';

// An object's history is the admin audit events whose target is that object. Changes of fields
// the caller may not read are left out of every entry (the events themselves never hold hidden
// fields: only exposed fields are diffed).

type Changes = Record<string, { before: unknown; after: unknown }>;

function kindOf(resource: CompiledResource, action: string): string {
  const suffix = action.slice(`admin.${resource.name}.`.length);
  return ['created', 'updated', 'deleted', 'restored'].includes(suffix)
    ? suffix
    : `action:${suffix}`;
}

function readableChanges(resource: CompiledResource, ctx: EngineContext, raw: unknown): Changes {
  const changes: Changes = {};
  if (!raw || typeof raw !== 'object') return changes;
  for (const [name, change] of Object.entries(raw as Changes)) {
    const field = resource.fields.get(name);
    if (field && canRead(field, ctx.actor.role)) changes[name] = change;
  }
  return changes;
}

/** The fields of an `updated` entry the caller may put back (readable and editable). */
function restorableFields(resource: CompiledResource, ctx: EngineContext, changes: Changes) {
  return Object.keys(changes).filter((name) =>
    canWrite(resource, resource.fields.get(name)!, 'edit', ctx.actor.role),
  );
}

function restorable(
  resource: CompiledResource,
  ctx: EngineContext,
  kind: string,
  changes: Changes,
) {
  if (!resource.definition.restorable || !may(resource, 'edit', ctx.actor.role)) return false;
  if (kind === 'deleted') return Boolean(resource.softDelete);
  if (kind === 'updated' || kind === 'restored') {
    return restorableFields(resource, ctx, changes).length > 0;
  }
  return false;
}

async function visibleObject(resource: CompiledResource, ctx: EngineContext, rawId: string) {
  if (!may(resource, 'view', ctx.actor.role)) throw forbidden();
  // Deleted objects keep their history (and a restore).
  const row = await findRow(ctx.db, resource, ctx, rawId, { withDeleted: true });
  if (!row) throw notFound(resource.label);
  return row;
}

export async function objectHistory(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<AdminHistory> {
  await visibleObject(resource, ctx, rawId);
  const target = `${resource.name}:${rawId}`;
  const conditions = [
    eq(auditEvents.target, target),
    like(auditEvents.action, `admin.${resource.name}.%`),
  ];
  if (page.cursor) {
    const cursor = decodeCursor(page.cursor, 'history', ctx.cursorKey);
    conditions.push(
      sql`(${auditEvents.createdAt}, ${auditEvents.id}) < (${cursor.value}, ${cursor.id})`,
    );
  }
  const rows = await ctx.db
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      actorId: auditEvents.actorId,
      actor: auditEvents.actor,
      // Who acted, as staff know them: the name (or the email where none is set).
      actorName: sql<string | null>`nullif(${users.displayName}, '')`,
      actorEmail: users.email,
      data: auditEvents.data,
      createdAt: auditEvents.createdAt,
      createdText: sql<string>`${auditEvents.createdAt}::text`,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map((row): AdminHistoryEntry => {
    const kind = kindOf(resource, row.action);
    const changes = readableChanges(resource, ctx, row.data.changes);
    return {
      id: row.id,
      kind,
      action: row.action,
      actorId: row.actorId,
      actor: row.actor,
      actorName: row.actorName ?? row.actorEmail ?? null,
      requestId: typeof row.data.requestId === 'string' ? row.data.requestId : null,
      createdAt: row.createdAt.toISOString(),
      changes,
      restorable: restorable(resource, ctx, kind, changes),
    };
  });
  const last = rows[page.limit - 1];
  return {
    items,
    nextCursor:
      more && last
        ? encodeCursor({ sort: 'history', value: last.createdText, id: last.id }, ctx.cursorKey)
        : null,
  };
}

/**
 * Restores what a history entry changed: an update's `before` values (those the caller may
 * edit), or a soft delete. It is itself an update, validated by the resource's schema and
 * recorded as `restored`.
 */
export async function restoreFromHistory(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
  eventId: string,
): Promise<AdminWriteResult> {
  await visibleObject(resource, ctx, rawId);
  if (!resource.definition.restorable) {
    throw new HttpError(403, 'forbidden', 'This resource does not allow restoring.');
  }
  const [event] = await ctx.db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.id, eventId),
        eq(auditEvents.target, `${resource.name}:${rawId}`),
        like(auditEvents.action, `admin.${resource.name}.%`),
      ),
    );
  if (!event) throw notFound('History entry');
  const kind = kindOf(resource, event.action);
  const changes = readableChanges(resource, ctx, event.data.changes);
  if (kind === 'deleted') return undeleteRecord(resource, ctx, rawId, eventId);
  if (kind !== 'updated' && kind !== 'restored') {
    throw badRequest('Only edits and deletions can be restored.');
  }
  if (!may(resource, 'edit', ctx.actor.role)) throw forbidden();
  const fields = restorableFields(resource, ctx, changes);
  if (fields.length === 0) throw forbidden('You may not change any field of this entry.');
  const body = Object.fromEntries(fields.map((name) => [name, changes[name]!.before]));
  return updateRecord(resource, ctx, rawId, body, { eventId });
}
