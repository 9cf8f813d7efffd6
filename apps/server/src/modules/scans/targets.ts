import type { ScanTarget } from '@bastion/contract';
import type { scanTargetCreateSchema, scanTargetUpdateSchema } from '@bastion/contract';
import { randomBytes } from 'node:crypto';
import { and, count, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../../db/client.js';
import { notFound } from '../../http/errors.js';
import { nextScanAt } from './next-run.js';
import { presentTargets } from './target-presenter.js';
import { scanTargets, type ScanTargetRow } from './schema.js';

/**
 * Who is asking. Users see and change only their own targets; staff (and API keys, which admins
 * issue and which act for no user) see all. Another user's target is "not found", never
 * "forbidden", so ids do not tell whether a target exists.
 */
export interface Viewer {
  userId: string | null;
  staff: boolean;
}

export type Executor = Pick<Database, 'select' | 'insert' | 'update' | 'delete' | 'execute'>;

function visible(viewer: Viewer): SQL | undefined {
  const alive = isNull(scanTargets.deletedAt);
  if (viewer.staff) return alive;
  return and(
    alive,
    eq(scanTargets.ownerId, viewer.userId ?? '00000000-0000-0000-0000-000000000000'),
  );
}

/** A random token the owner publishes to prove the site is theirs. */
export function newVerificationToken(): string {
  return randomBytes(18).toString('base64url');
}

/** Only verified targets run on a schedule: the next run is null until then. */
function scheduledNext(
  row: Pick<
    ScanTargetRow,
    'schedule' | 'scheduleTime' | 'scheduleWeekday' | 'timezone' | 'verifiedAt'
  >,
  from: Date,
) {
  return row.verifiedAt ? nextScanAt(row, from) : null;
}

export async function findTarget(db: Executor, viewer: Viewer, id: string): Promise<ScanTargetRow> {
  const [row] = await db
    .select()
    .from(scanTargets)
    .where(and(eq(scanTargets.id, id), visible(viewer)));
  if (!row) throw notFound('Target');
  return row;
}

export async function listTargets(
  db: Executor,
  viewer: Viewer,
  query: { limit: number; offset: number; search?: string | undefined; tag?: string | undefined },
): Promise<{ items: ScanTarget[]; total: number }> {
  const filters: (SQL | undefined)[] = [visible(viewer)];
  if (query.search) {
    const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    filters.push(
      sql`(${scanTargets.name} ilike ${pattern} or ${scanTargets.url} ilike ${pattern})`,
    );
  }
  if (query.tag) filters.push(sql`${query.tag} = any(${scanTargets.tags})`);
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(scanTargets)
      .where(where)
      .orderBy(desc(scanTargets.createdAt), desc(scanTargets.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(scanTargets).where(where),
  ]);
  return { items: await presentTargets(db, rows), total: total?.n ?? 0 };
}

export async function createTarget(
  db: Executor,
  ownerId: string,
  input: z.output<typeof scanTargetCreateSchema>,
  now = new Date(),
): Promise<ScanTargetRow> {
  const [row] = await db
    .insert(scanTargets)
    .values({
      url: input.url,
      name: input.name,
      ownerId,
      tags: [...new Set(input.tags)],
      schedule: input.schedule,
      scheduleTime: input.scheduleTime,
      scheduleWeekday: input.scheduleWeekday,
      timezone: input.timezone,
      notify: input.notify,
      verificationToken: newVerificationToken(),
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

export async function updateTarget(
  db: Executor,
  viewer: Viewer,
  id: string,
  input: z.output<typeof scanTargetUpdateSchema>,
  now = new Date(),
): Promise<ScanTargetRow> {
  const current = await findTarget(db, viewer, id);
  const next = { ...current, ...definedOnly(input) };
  if (input.tags) next.tags = [...new Set(input.tags)];
  // A new host is a new site: its ownership has to be proven again.
  const hostChanged =
    input.url !== undefined && new URL(input.url).host !== new URL(current.url).host;
  if (hostChanged) {
    next.verifiedAt = null;
    next.verificationMethod = null;
    next.verificationCheckedAt = null;
  }
  const [row] = await db
    .update(scanTargets)
    .set({
      url: next.url,
      name: next.name,
      tags: next.tags,
      schedule: next.schedule,
      scheduleTime: next.scheduleTime,
      scheduleWeekday: next.scheduleWeekday,
      timezone: next.timezone,
      notify: next.notify,
      verifiedAt: next.verifiedAt,
      verificationMethod: next.verificationMethod,
      verificationCheckedAt: next.verificationCheckedAt,
      nextScanAt: scheduledNext(next, now),
      updatedAt: now,
    })
    .where(eq(scanTargets.id, id))
    .returning();
  return row!;
}

function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(input).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/** Soft delete: its scans stay for the record, the target disappears everywhere. */
export async function deleteTarget(db: Executor, viewer: Viewer, id: string): Promise<void> {
  await findTarget(db, viewer, id);
  await db
    .update(scanTargets)
    .set({ deletedAt: new Date(), nextScanAt: null })
    .where(eq(scanTargets.id, id));
}

/** Records a successful ownership proof and starts the schedule, if any. */
export async function markVerified(
  db: Executor,
  row: ScanTargetRow,
  method: string,
  now = new Date(),
): Promise<ScanTargetRow> {
  const [updated] = await db
    .update(scanTargets)
    .set({
      verifiedAt: now,
      verificationMethod: method,
      verificationCheckedAt: now,
      nextScanAt: nextScanAt(row, now),
      updatedAt: now,
    })
    .where(eq(scanTargets.id, row.id))
    .returning();
  return updated!;
}

/** A failed re-check withdraws the verification (and with it the schedule). */
export async function markUnverified(db: Executor, id: string, now = new Date()): Promise<void> {
  await db
    .update(scanTargets)
    .set({
      verifiedAt: null,
      verificationMethod: null,
      verificationCheckedAt: now,
      nextScanAt: null,
      updatedAt: now,
    })
    .where(eq(scanTargets.id, id));
}

export async function markChecked(db: Executor, id: string, now = new Date()): Promise<void> {
  await db.update(scanTargets).set({ verificationCheckedAt: now }).where(eq(scanTargets.id, id));
}

/**
 * Copies the latest finished scan's grade, score and time onto its target (after each scan, and
 * after the demo's seeding): lists read them from the target row instead of joining scans.
 */
export async function recordLatestScan(db: Pick<Database, 'execute'>, targetId: string) {
  await db.execute(sql`
    update scan_targets as t
    set last_grade = s.grade, last_score = s.score, last_scanned_at = s.finished_at
    from (
      select grade, score, finished_at from scans
      where target_id = ${targetId} and state = 'finished'
      order by finished_at desc limit 1
    ) as s
    where t.id = ${targetId}`);
}
