import type { ScanDetail, ScanGrade, ScanReport, ScanSummary } from '@bastion/contract';
import { and, count, desc, eq, gte, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { HttpError, notFound, tooManyRequests } from '../../http/errors.js';
import type { JobsClient } from '../jobs/client.js';
import { scanRunJob } from './run-job.js';
import { scans, scanTargets, type ScanRow } from './schema.js';
import { findTarget, type Viewer } from './targets.js';

/** No second scan of one target within this (a manual "scan now" twice is one scan). */
export const COOLDOWN_SECONDS = 60;
/** A finished scan younger than this is the answer to "scan now" unless forced. */
export const CACHE_HOURS = 24;
const IN_PROGRESS = ['pending', 'running'];

const iso = (value: Date | null) => (value === null ? null : value.toISOString());

export function presentScan(row: ScanRow): ScanSummary {
  return {
    id: row.id,
    targetId: row.targetId,
    state: row.state as ScanSummary['state'],
    trigger: row.trigger as ScanSummary['trigger'],
    grade: row.grade as ScanGrade | null,
    score: row.score,
    extraGrade: row.extraGrade as ScanGrade | null,
    extraScore: row.extraScore,
    failed: row.failed,
    error: row.error,
    progress: row.progress,
    stage: row.stage,
    createdAt: row.createdAt.toISOString(),
    startedAt: iso(row.startedAt),
    finishedAt: iso(row.finishedAt),
  };
}

export function presentScanDetail(row: ScanRow): ScanDetail {
  return { ...presentScan(row), report: (row.report as ScanReport | null) ?? null };
}

export interface ScanRequest {
  viewer: Viewer;
  targetId: string;
  force: boolean;
  trigger: 'manual' | 'api';
  manualQuota: number;
  /** `app.jobs`, or the admin's `ctx.enqueue`: the scan's job is inserted in its transaction. */
  jobs: Pick<JobsClient, 'enqueue'>;
  now?: Date;
}

/**
 * "Scan now". In order: a scan already queued or running is the answer; so is a finished one
 * younger than 24 h (unless `force`); a scan started less than 60 s ago refuses another (429 with
 * Retry-After); a user past the daily manual quota must verify the target first. Otherwise a
 * pending scan is inserted and its job enqueued in one transaction, under a lock on the target
 * row, so two simultaneous requests make one scan.
 */
export async function requestScan(
  db: Database,
  request: ScanRequest,
): Promise<{ scan: ScanRow; created: boolean }> {
  const now = request.now ?? new Date();
  return db.transaction(async (tx) => {
    const target = await findTarget(tx, request.viewer, request.targetId);
    await tx.execute(sql`select 1 from scan_targets where id = ${target.id} for update`);
    const [latest] = await tx
      .select()
      .from(scans)
      .where(eq(scans.targetId, target.id))
      .orderBy(desc(scans.createdAt))
      .limit(1);
    if (latest && IN_PROGRESS.includes(latest.state)) return { scan: latest, created: false };
    if (!request.force) {
      const [cached] = await tx
        .select()
        .from(scans)
        .where(
          and(
            eq(scans.targetId, target.id),
            eq(scans.state, 'finished'),
            gte(scans.finishedAt, new Date(now.getTime() - CACHE_HOURS * 3_600_000)),
          ),
        )
        .orderBy(desc(scans.finishedAt))
        .limit(1);
      if (cached) return { scan: cached, created: false };
    }
    if (latest) {
      const age = (now.getTime() - latest.createdAt.getTime()) / 1000;
      if (age < COOLDOWN_SECONDS) {
        const wait = Math.ceil(COOLDOWN_SECONDS - age);
        throw tooManyRequests(
          `This target was scanned ${Math.floor(age)} s ago; scan it again in ${wait} s.`,
          wait,
        );
      }
    }
    if (!target.verifiedAt && !request.viewer.staff && request.viewer.userId) {
      await assertQuota(tx, request.viewer.userId, request.manualQuota, now);
    }
    const [scan] = await tx
      .insert(scans)
      .values({
        targetId: target.id,
        url: target.url,
        trigger: request.trigger,
        requestedBy: request.viewer.userId,
        stage: 'Queued',
        createdAt: now,
      })
      .returning();
    const jobId = await request.jobs.enqueue(scanRunJob, { scanId: scan!.id }, { db: tx });
    const [withJob] = await tx
      .update(scans)
      .set({ jobId })
      .where(eq(scans.id, scan!.id))
      .returning();
    return { scan: withJob!, created: true };
  });
}

/**
 * Manual scans of unverified targets a user may start in 24 h. Past it, the targets must be
 * verified: the quota keeps an unproven registration from turning Bastion into a tool that
 * hammers someone else's site.
 */
async function assertQuota(
  db: Pick<Database, 'select'>,
  userId: string,
  quota: number,
  now: Date,
): Promise<void> {
  const since = new Date(now.getTime() - 24 * 3_600_000);
  const [used] = await db
    .select({ n: count() })
    .from(scans)
    .innerJoin(scanTargets, eq(scanTargets.id, scans.targetId))
    .where(
      and(
        eq(scans.requestedBy, userId),
        gte(scans.createdAt, since),
        isNull(scanTargets.verifiedAt),
      ),
    );
  if ((used?.n ?? 0) >= quota) {
    throw new HttpError(
      403,
      'verification_required',
      `You have used your ${quota} scans of unverified targets for the last 24 hours. Verify the target's ownership to scan it more often.`,
    );
  }
}

export async function listScans(
  db: Database,
  viewer: Viewer,
  targetId: string,
  query: { limit: number; offset: number; state?: string | undefined },
): Promise<{ items: ScanSummary[]; total: number }> {
  await findTarget(db, viewer, targetId);
  const where = and(
    eq(scans.targetId, targetId),
    query.state ? eq(scans.state, query.state) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(scans)
      .where(where)
      .orderBy(desc(scans.createdAt), desc(scans.id))
      .limit(query.limit)
      .offset(query.offset),
    db.select({ n: count() }).from(scans).where(where),
  ]);
  return { items: rows.map(presentScan), total: total?.n ?? 0 };
}

/** A scan the viewer may see (through its target; a deleted target's scans are gone too). */
export async function findScan(db: Database, viewer: Viewer, id: string): Promise<ScanRow> {
  const [row] = await db.select().from(scans).where(eq(scans.id, id));
  if (!row) throw notFound('Scan');
  try {
    await findTarget(db, viewer, row.targetId);
  } catch {
    throw notFound('Scan');
  }
  return row;
}

export async function gradeHistory(db: Database, viewer: Viewer, targetId: string, days: number) {
  await findTarget(db, viewer, targetId);
  const rows = await db
    .select({
      scanId: scans.id,
      at: scans.finishedAt,
      grade: scans.grade,
      score: scans.score,
      extraGrade: scans.extraGrade,
      extraScore: scans.extraScore,
    })
    .from(scans)
    .where(
      and(
        eq(scans.targetId, targetId),
        eq(scans.state, 'finished'),
        gte(scans.finishedAt, new Date(Date.now() - days * 86_400_000)),
      ),
    )
    .orderBy(scans.finishedAt);
  return {
    items: rows.map((row) => ({
      ...row,
      at: row.at!.toISOString(),
      grade: row.grade as ScanGrade | null,
      extraGrade: row.extraGrade as ScanGrade | null,
    })),
  };
}
