import {
  ADMIN_INLINE_ACTION_ROWS,
  type AdminActionRequest,
  type AdminFilters,
} from '@bastion/contract';
import { and, asc, count, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { badRequest, forbidden, HttpError, notFound } from '../http/errors.js';
import type { EngineContext } from './context.js';
import type { AdminAction } from './define.js';
import { selectionWhere, type DeletedMode } from './query.js';
import { may, mayRun, parseId, type CompiledResource } from './resource.js';
import { diff, snapshot } from './values.js';
import { asInputError } from './validate.js';
import { audit } from './write.js';

// Row and bulk actions. A selection is either ids or "everything matching this search and these
// filters"; it is counted first (the preview, and the number a destructive action must be
// confirmed with), then run inline when small or handed to the `admin.action-run` job.

type Row = Record<string, unknown>;
// The action of an erased definition: its table type is the engine's generic one.
type AnyAction = AdminAction<CompiledResource['table']>;

/** What an action runs on, as stored with a queued run. */
export type ActionSelection =
  { ids: string[] } | { all: { q?: string; filters?: AdminFilters; deleted?: DeletedMode } };

export function findAction(resource: CompiledResource, name: string, ctx: EngineContext) {
  const action = resource.definition.actions?.find((candidate) => candidate.name === name);
  if (!action) throw notFound('Action');
  if (!may(resource, 'view', ctx.actor.role) || !mayRun(resource, action, ctx.actor.role)) {
    throw forbidden();
  }
  return action;
}

export function selectionCondition(
  resource: CompiledResource,
  ctx: Pick<EngineContext, 'actor'>,
  selection: ActionSelection,
): SQL | undefined {
  if ('ids' in selection) {
    const ids = selection.ids.map((raw) => parseId(resource, raw));
    const valid = ids.filter((id): id is string | number => id !== undefined);
    const conditions: (SQL | undefined)[] = [
      valid.length > 0 ? inArray(resource.idColumn, valid) : sql`false`,
      resource.definition.scope?.(ctx.actor),
    ];
    if (resource.softDelete) conditions.push(isNull(resource.softDelete));
    return and(...conditions);
  }
  return selectionWhere(resource, ctx.actor, selection.all);
}

/** Runs the action on one row in its own transaction, with its audit event. */
export async function runOnRow(
  resource: CompiledResource,
  ctx: EngineContext,
  action: AnyAction,
  row: Row,
): Promise<string | undefined> {
  const id = String(row[resource.idField]);
  try {
    await ctx.db.transaction(async (tx) => {
      const changed = (await action.run({ ...ctx, db: tx }, row as never)) ?? {};
      const after = snapshot(resource, changed as Row);
      const before = Object.fromEntries(
        Object.entries(snapshot(resource, row)).filter(([name]) => name in after),
      );
      await audit(tx, resource, ctx, { kind: action.name, id, changes: diff(before, after) });
    });
    return undefined;
  } catch (error) {
    if (error instanceof HttpError) return error.message;
    ctx.logger.error(
      { err: error, resource: resource.name, action: action.name },
      'admin action failed',
    );
    return 'Failed.';
  }
}

/** The next rows of a selection after `afterId`, in id order (how jobs walk it). */
export async function selectionBatch(
  resource: CompiledResource,
  ctx: EngineContext,
  condition: SQL | undefined,
  afterId: string | null,
  limit: number,
): Promise<Row[]> {
  const after = afterId === null ? undefined : sql`${resource.idColumn} > ${afterId}`;
  return (await ctx.db
    .select()
    .from(resource.table)
    .where(and(condition, after))
    .orderBy(asc(resource.idColumn))
    .limit(limit)) as Row[];
}

export interface RunOutcome {
  done: number;
  failed: number;
  errors: { id: string; message: string }[];
}

export async function runRows(
  resource: CompiledResource,
  ctx: EngineContext,
  action: AnyAction,
  rows: Row[],
): Promise<RunOutcome> {
  const outcome: RunOutcome = { done: 0, failed: 0, errors: [] };
  for (const row of rows) {
    const error = await runOnRow(resource, ctx, action, row);
    if (error === undefined) outcome.done += 1;
    else {
      outcome.failed += 1;
      outcome.errors.push({ id: String(row[resource.idField]), message: error });
    }
  }
  return outcome;
}

export type ActionAnswer =
  | { kind: 'preview'; count: number }
  | ({ kind: 'done' } & RunOutcome)
  | { kind: 'queued'; selection: ActionSelection; total: number };

/**
 * Checks and counts the selection; previews, runs inline (≤ 200 rows) or says to queue it (the
 * caller, the admin module, stores the run and enqueues the job).
 */
export async function startAction(
  resource: CompiledResource,
  ctx: EngineContext,
  name: string,
  body: AdminActionRequest,
): Promise<ActionAnswer> {
  const action = findAction(resource, name, ctx);
  const selection: ActionSelection = body.ids
    ? { ids: body.ids }
    : { all: (body.all ?? {}) as Extract<ActionSelection, { all: unknown }>['all'] };
  const bulk = 'all' in selection || selection.ids.length > 1;
  if (bulk && action.bulk === false) throw badRequest('This action runs on one object at a time.');
  if (!bulk && action.row === false && action.bulk === false) throw forbidden();
  const condition = selectionCondition(resource, ctx, selection);
  const [counted] = await asInputError(() =>
    ctx.db.select({ n: count() }).from(resource.table).where(condition),
  );
  const total = counted?.n ?? 0;
  if (body.preview) return { kind: 'preview', count: total };
  if (action.destructive && body.confirm !== total) {
    throw badRequest('Confirm with the number of rows.', [
      { path: ['confirm'], message: `Type ${total} to confirm.`, code: 'confirm' },
    ]);
  }
  if (total > ADMIN_INLINE_ACTION_ROWS) return { kind: 'queued', selection, total };
  const rows = await selectionBatch(resource, ctx, condition, null, ADMIN_INLINE_ACTION_ROWS);
  return { kind: 'done', ...(await runRows(resource, ctx, action, rows)) };
}
