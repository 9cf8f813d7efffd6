import type { AdminActionRun, UserRole } from '@bastion/contract';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  findAction,
  runRows,
  selectionBatch,
  selectionCondition,
  type ActionSelection,
} from '../../admin/actions.js';
import type { EngineContext } from '../../admin/context.js';
import { findAdminResource } from '../../admin/registry.js';
import type { Database } from '../../db/client.js';
import { defineJob, type JobContext } from '../jobs/registry.js';
import { adminActionRuns, type AdminActionRunRow } from './schema.js';

// Big bulk actions: the request stores the run and enqueues `admin.action-run`; the job walks
// the selection in id order, batch by batch, and writes its progress to the run after each batch
// (the progress bar polls GET /action-runs/{id}). A retried job goes on after the last id done.

const BATCH = 100;
const MAX_ERRORS = 50;

export function presentRun(row: AdminActionRunRow): AdminActionRun {
  return {
    id: row.id,
    resource: row.resource,
    action: row.action,
    state: row.state as AdminActionRun['state'],
    total: row.total,
    done: row.done,
    failed: row.failed,
    errors: row.errors,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

export async function createRun(
  db: Database,
  ctx: Pick<EngineContext, 'actor' | 'requestId'>,
  entry: { resource: string; action: string; selection: ActionSelection; total: number },
): Promise<AdminActionRunRow> {
  const [row] = await db
    .insert(adminActionRuns)
    .values({
      resource: entry.resource,
      action: entry.action,
      actorId: ctx.actor.userId,
      actorRole: ctx.actor.role,
      requestId: ctx.requestId,
      selection: entry.selection as Record<string, unknown>,
      total: entry.total,
    })
    .returning();
  return row!;
}

export async function findRun(db: Database, id: string): Promise<AdminActionRunRow | undefined> {
  const [row] = await db.select().from(adminActionRuns).where(eq(adminActionRuns.id, id));
  return row;
}

async function finish(db: Database, id: string, state: 'done' | 'failed') {
  await db
    .update(adminActionRuns)
    .set({ state, finishedAt: sql`now()` })
    .where(eq(adminActionRuns.id, id));
}

/** Runs (or goes on with) one queued action run. */
export async function processRun(runId: string, job: JobContext): Promise<void> {
  const run = await findRun(job.db, runId);
  if (!run || run.state === 'done' || run.state === 'failed') return;
  const resource = findAdminResource(run.resource);
  if (!resource) {
    job.logger.error({ runId, resource: run.resource }, 'admin action run: unknown resource');
    return finish(job.db, run.id, 'failed');
  }
  const ctx: EngineContext = {
    db: job.db,
    actor: { userId: run.actorId, role: run.actorRole as UserRole },
    requestId: run.requestId,
    logger: job.logger,
    config: job.config,
    enqueue: job.enqueue,
    cursorKey: job.config.secretKey,
    ip: null,
    userAgent: null,
  };
  // Checked again: the definition may have changed since the run was queued.
  const action = findAction(resource, run.action, ctx);
  const condition = selectionCondition(resource, ctx, run.selection as ActionSelection);
  await job.db
    .update(adminActionRuns)
    .set({ state: 'running', startedAt: sql`coalesce(${adminActionRuns.startedAt}, now())` })
    .where(eq(adminActionRuns.id, run.id));

  let lastId = run.lastId;
  let errors = run.errors;
  for (;;) {
    if (job.signal.aborted) throw new Error('admin action run interrupted');
    const rows = await selectionBatch(resource, ctx, condition, lastId, BATCH);
    if (rows.length === 0) break;
    const outcome = await runRows(resource, ctx, action, rows);
    lastId = String(rows.at(-1)![resource.idField]);
    errors = [...errors, ...outcome.errors].slice(0, MAX_ERRORS);
    await job.db
      .update(adminActionRuns)
      .set({
        done: sql`${adminActionRuns.done} + ${outcome.done}`,
        failed: sql`${adminActionRuns.failed} + ${outcome.failed}`,
        errors,
        lastId,
      })
      .where(and(eq(adminActionRuns.id, run.id), eq(adminActionRuns.state, 'running')));
    if (rows.length < BATCH) break;
  }
  await finish(job.db, run.id, 'done');
}

export const actionRunJob = defineJob({
  name: 'admin.action-run',
  queue: 'default',
  schema: z.object({ runId: z.uuid() }),
  retry: { limit: 2, delaySeconds: 10, backoff: true },
  timeoutSeconds: 3600,
  handler: async ({ runId }, context) => processRun(runId, context),
});
