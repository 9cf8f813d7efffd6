import { and, eq, inArray, isNotNull, isNull, lt, lte, ne, or, sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, type JobContext, type ScheduleDefinition } from '../jobs/registry.js';
import { nextScanAt } from './next-run.js';
import { scanRunJob } from './run-job.js';
import { scans, scanTargets } from './schema.js';
import { markChecked, markUnverified } from './targets.js';
import { checkOwnership, verifyOptions, type ProofMethod } from './verification.js';

export { scanRunJob };

/** Due targets handled per pass; the rest wait for the next pass (5 minutes later). */
const SCHEDULE_BATCH = 500;
/** Ownership proofs older than this are checked again. */
export const REVERIFY_AFTER_DAYS = 7;
/** Re-checks run this many at a time, each bounded by the egress timeouts: a slow site delays no other. */
const REVERIFY_PARALLEL = 4;

/**
 * Enqueues a scan of every verified target whose schedule is due and moves its next run on. The
 * targets are claimed with SKIP LOCKED and their next run advanced in the same transaction as
 * the scans are inserted, so two passes never scan one target twice. A target whose previous
 * scan is still queued or running is not scanned again; its next run moves on all the same.
 */
export async function enqueueDueScans(
  context: Pick<JobContext, 'db' | 'enqueue'>,
  now = new Date(),
): Promise<number> {
  return context.db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(scanTargets)
      .where(
        and(
          isNull(scanTargets.deletedAt),
          isNotNull(scanTargets.verifiedAt),
          ne(scanTargets.schedule, 'off'),
          lte(scanTargets.nextScanAt, now),
        ),
      )
      .orderBy(scanTargets.nextScanAt)
      .limit(SCHEDULE_BATCH)
      .for('update', { skipLocked: true });
    if (due.length === 0) return 0;
    const busy = new Set(
      (
        await tx
          .select({ targetId: scans.targetId })
          .from(scans)
          .where(
            and(
              inArray(
                scans.targetId,
                due.map((target) => target.id),
              ),
              inArray(scans.state, ['pending', 'running']),
            ),
          )
      ).map((row) => row.targetId),
    );
    let enqueued = 0;
    for (const target of due) {
      await tx
        .update(scanTargets)
        .set({ nextScanAt: nextScanAt(target, now) })
        .where(eq(scanTargets.id, target.id));
      if (busy.has(target.id)) continue;
      const [scan] = await tx
        .insert(scans)
        .values({ targetId: target.id, url: target.url, trigger: 'schedule', stage: 'Queued' })
        .returning({ id: scans.id });
      const jobId = await context.enqueue(scanRunJob, { scanId: scan!.id }, { db: tx });
      await tx.update(scans).set({ jobId }).where(eq(scans.id, scan!.id));
      enqueued++;
    }
    return enqueued;
  });
}

export const scanScheduleJob = defineJob({
  name: 'scans.schedule',
  queue: 'scans',
  schema: z.object({}),
  retry: { limit: 1, delaySeconds: 30 },
  timeoutSeconds: 120,
  async handler(_payload, context) {
    const enqueued = await enqueueDueScans(context);
    if (enqueued > 0) context.logger.info({ enqueued }, 'scheduled scans enqueued');
  },
});

/** Every five minutes: a target's scan starts at most five minutes after its time of day. */
export const scanScheduleSchedule: ScheduleDefinition = {
  name: 'scans-schedule',
  cron: '*/5 * * * *',
  job: scanScheduleJob.name,
};

/**
 * Checks again the ownership proofs of verified targets last checked a week ago or more (staff
 * verification is not re-checked: there is nothing to fetch). A proof gone withdraws the
 * verification, which stops the schedule until the owner proves it again.
 */
export async function reverifyTargets(
  context: Pick<JobContext, 'db' | 'config' | 'logger' | 'signal'>,
  now = new Date(),
): Promise<{ checked: number; withdrawn: number }> {
  const stale = new Date(now.getTime() - REVERIFY_AFTER_DAYS * 86_400_000);
  const targets = await context.db
    .select()
    .from(scanTargets)
    .where(
      and(
        isNull(scanTargets.deletedAt),
        isNotNull(scanTargets.verifiedAt),
        inArray(scanTargets.verificationMethod, ['file', 'dns', 'meta']),
        or(isNull(scanTargets.verificationCheckedAt), lt(scanTargets.verificationCheckedAt, stale)),
      ),
    )
    .orderBy(sql`${scanTargets.verificationCheckedAt} nulls first`)
    .limit(1000);
  let withdrawn = 0;
  let next = 0;
  const lane = async () => {
    while (next < targets.length && !context.signal.aborted) {
      const target = targets[next++]!;
      const method = target.verificationMethod as ProofMethod;
      const [check] = await checkOwnership(
        target.url,
        target.verificationToken,
        [method],
        verifyOptions(context.config, context.signal),
      );
      if (check?.ok) {
        await markChecked(context.db, target.id, now);
      } else {
        withdrawn++;
        context.logger.info({ targetId: target.id, method }, 'scan target verification withdrawn');
        await markUnverified(context.db, target.id, now);
      }
    }
  };
  await Promise.all(Array.from({ length: REVERIFY_PARALLEL }, lane));
  return { checked: targets.length, withdrawn };
}

export const scanReverifyJob = defineJob({
  name: 'scans.reverify',
  queue: 'scans',
  schema: z.object({}),
  retry: { limit: 1, delaySeconds: 300 },
  timeoutSeconds: 30 * 60,
  async handler(_payload, context) {
    const result = await reverifyTargets(context);
    if (result.checked > 0) context.logger.info(result, 'scan target verifications re-checked');
  },
});

/** Daily: each proof is re-checked once it is a week old, spread over the days it was given. */
export const scanReverifySchedule: ScheduleDefinition = {
  name: 'scans-reverify',
  cron: '41 4 * * *',
  job: scanReverifyJob.name,
};
