import type { AdminWriteResult } from '@bastion/contract';
import { and, eq, getTableColumns, isNull, sql, type SQL } from 'drizzle-orm';
import { forbidden, HttpError, notFound } from '../http/errors.js';
import { recordAudit } from '../modules/audit/service.js';
import type { EngineContext } from './context.js';
import type { AdminContext, AdminTx } from './define.js';
import { may, parseId, type CompiledResource } from './resource.js';
import { validateWrite, writeError } from './validate.js';
import { diff, presentRecord, snapshot } from './values.js';

// Create, update, delete and restore: each in one transaction with its audit event, so a row is
// never written without its history nor half-written when something refuses it.

type Row = Record<string, unknown>;
export type WriteKind = 'created' | 'updated' | 'deleted' | 'restored';

export async function audit(
  tx: AdminTx,
  resource: CompiledResource,
  ctx: EngineContext,
  entry: { kind: string; id: string; changes: Record<string, unknown>; extra?: Row },
) {
  await recordAudit(tx, {
    action: `admin.${resource.name}.${entry.kind}`,
    actorId: ctx.actor.userId,
    actor: `user:${ctx.actor.userId}`,
    target: `${resource.name}:${entry.id}`,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    data: { requestId: ctx.requestId, changes: entry.changes, ...entry.extra },
  });
}

/** The row `id` in the actor's scope (or undefined), locked when inside a write. */
export async function findRow(
  db: EngineContext['db'] | AdminTx,
  resource: CompiledResource,
  ctx: Pick<EngineContext, 'actor'>,
  rawId: string,
  options: { lock?: boolean; withDeleted?: boolean } = {},
): Promise<Row | undefined> {
  const id = parseId(resource, rawId);
  if (id === undefined) return undefined;
  const conditions: (SQL | undefined)[] = [
    eq(resource.idColumn, id),
    resource.definition.scope?.(ctx.actor),
  ];
  if (resource.softDelete && !options.withDeleted) conditions.push(isNull(resource.softDelete));
  const query = db
    .select()
    .from(resource.table)
    .where(and(...conditions));
  const rows = (await (options.lock ? query.for('update') : query)) as Row[];
  return rows[0];
}

function require(resource: CompiledResource, op: 'create' | 'edit' | 'delete', ctx: EngineContext) {
  if (!may(resource, op, ctx.actor.role)) throw forbidden();
}

/** Runs a write, turning integrity errors into 4xx; the transaction is rolled back either way. */
async function inTransaction<T>(ctx: EngineContext, work: (tx: AdminTx) => Promise<T>) {
  try {
    return await ctx.db.transaction(work);
  } catch (error) {
    throw writeError(error);
  }
}

const hookContext = (ctx: EngineContext, tx: AdminTx): AdminContext => ({ ...ctx, db: tx });

/** Tables with an `updatedAt` column get it set on every admin update. */
function touch(resource: CompiledResource, values: Row): Row {
  if ('updatedAt' in getTableColumns(resource.table) && !('updatedAt' in values)) {
    return { ...values, updatedAt: new Date() };
  }
  return values;
}

export async function createRecord(
  resource: CompiledResource,
  ctx: EngineContext,
  body: Row,
): Promise<AdminWriteResult> {
  require(resource, 'create', ctx);
  const { input, values } = validateWrite(resource, 'create', ctx.actor, body);
  const def = resource.definition;
  return inTransaction(ctx, async (tx) => {
    const hctx = hookContext(ctx, tx);
    const changed = (await def.hooks?.beforeWrite?.(hctx, { kind: 'create', values })) ?? values;
    let row: Row | undefined;
    let secrets: Record<string, string> | undefined;
    if (def.service?.create) {
      ({ row, secrets } = await def.service.create(hctx, input, changed));
    } else {
      [row] = (await tx.insert(resource.table).values(changed).returning()) as Row[];
    }
    const id = String(row![resource.idField]);
    await audit(tx, resource, ctx, {
      kind: 'created',
      id,
      changes: diff({}, snapshot(resource, row!)),
    });
    await def.hooks?.afterWrite?.(hctx, { kind: 'create', id, values: changed, after: row! });
    return {
      record: presentRecord(resource, row!, ctx.actor.role),
      ...(secrets ? { secrets } : {}),
    };
  });
}

export async function updateRecord(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
  body: Row,
  restore?: { eventId: string },
): Promise<AdminWriteResult> {
  require(resource, 'edit', ctx);
  const { input, values } = validateWrite(resource, 'edit', ctx.actor, body);
  const def = resource.definition;
  const kind = restore ? 'restore' : 'update';
  return inTransaction(ctx, async (tx) => {
    const before = await findRow(tx, resource, ctx, rawId, { lock: true });
    if (!before) throw notFound(resource.label);
    const hctx = hookContext(ctx, tx);
    const event = { kind, id: rawId, before, values } as const;
    const changed = (await def.hooks?.beforeWrite?.(hctx, event)) ?? values;
    let after: Row | undefined;
    if (def.service?.update) {
      after = await def.service.update(hctx, before, input, changed);
    } else if (Object.keys(changed).length === 0) {
      after = before;
    } else {
      [after] = (await tx
        .update(resource.table)
        .set(touch(resource, changed))
        .where(eq(resource.idColumn, before[resource.idField]))
        .returning()) as Row[];
    }
    const changes = diff(snapshot(resource, before), snapshot(resource, after!));
    if (Object.keys(changes).length > 0) {
      await audit(tx, resource, ctx, {
        kind: restore ? 'restored' : 'updated',
        id: rawId,
        changes,
        ...(restore ? { extra: { restoredFrom: restore.eventId } } : {}),
      });
    }
    await def.hooks?.afterWrite?.(hctx, { ...event, after: after! });
    return { record: presentRecord(resource, after!, ctx.actor.role) };
  });
}

export async function deleteRecord(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
): Promise<void> {
  require(resource, 'delete', ctx);
  const def = resource.definition;
  await inTransaction(ctx, async (tx) => {
    const before = await findRow(tx, resource, ctx, rawId, { lock: true });
    if (!before) throw notFound(resource.label);
    const hctx = hookContext(ctx, tx);
    const event = { kind: 'delete', id: rawId, before, values: {} } as const;
    await def.hooks?.beforeWrite?.(hctx, event);
    let after: Row | undefined;
    const where = eq(resource.idColumn, before[resource.idField]);
    if (def.service?.remove) {
      await def.service.remove(hctx, before);
    } else if (resource.softDelete) {
      [after] = (await tx
        .update(resource.table)
        .set({ [resource.softDeleteField!]: sql`now()` })
        .where(where)
        .returning()) as Row[];
    } else {
      await tx.delete(resource.table).where(where);
    }
    const changes = after
      ? diff(snapshot(resource, before), snapshot(resource, after))
      : diff(snapshot(resource, before), {});
    await audit(tx, resource, ctx, {
      kind: 'deleted',
      id: rawId,
      changes,
      extra: { soft: Boolean(resource.softDelete && !def.service?.remove) },
    });
    await def.hooks?.afterWrite?.(hctx, { ...event, after: after ?? null });
  });
}

/** Brings a soft-deleted row back (the restore of a `deleted` history entry). */
export async function undeleteRecord(
  resource: CompiledResource,
  ctx: EngineContext,
  rawId: string,
  eventId: string,
): Promise<AdminWriteResult> {
  require(resource, 'edit', ctx);
  if (!resource.softDelete) throw new HttpError(409, 'conflict', 'Deleted rows are gone for good.');
  return inTransaction(ctx, async (tx) => {
    const before = await findRow(tx, resource, ctx, rawId, { lock: true, withDeleted: true });
    if (!before) throw notFound(resource.label);
    if (before[resource.softDeleteField!] === null) {
      throw new HttpError(409, 'conflict', 'This object is not deleted.');
    }
    const hctx = hookContext(ctx, tx);
    const values = { [resource.softDeleteField!]: null };
    const event = { kind: 'restore', id: rawId, before, values } as const;
    await resource.definition.hooks?.beforeWrite?.(hctx, event);
    const [after] = (await tx
      .update(resource.table)
      .set(values)
      .where(eq(resource.idColumn, before[resource.idField]))
      .returning()) as Row[];
    await audit(tx, resource, ctx, {
      kind: 'restored',
      id: rawId,
      changes: diff(snapshot(resource, before), snapshot(resource, after!)),
      extra: { restoredFrom: eventId, undeleted: true },
    });
    await resource.definition.hooks?.afterWrite?.(hctx, { ...event, after: after! });
    return { record: presentRecord(resource, after!, ctx.actor.role) };
  });
}
