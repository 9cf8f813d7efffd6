import type { ScanReport } from '@bastion/contract';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { defineJob, type JobContext } from '../jobs/registry.js';
import { alertAfterScan } from './alerts.js';
import { scanUrl } from './engine/scan.js';
import { isNetworkError, isNetworkFailure } from './failures.js';
import { scans } from './schema.js';
import { recordLatestScan } from './targets.js';

/** Attempts after the first, for network errors only (failures.ts decides). */
export const SCAN_RETRIES = 2;
/** Progress is written at most this often: a scan reports many small steps. */
const PROGRESS_EVERY_MS = 300;

class RetryableScanError extends Error {
  override name = 'RetryableScanError';
}

function failedCount(report: ScanReport): number {
  return report.findings.filter((finding) => finding.pass === false).length;
}

/**
 * Runs one scan: pending → running (progress and stage written while it runs) → finished, or
 * failed (with the error), or aborted (its deadline passed or the worker stopped). A network
 * failure with attempts left puts it back to pending and throws, so pg-boss retries it later;
 * anything else is final on the first attempt.
 */
export async function runScan(
  deps: { db: Database; config: Config; logger: JobContext['logger'] },
  scanId: string,
  job: { attempt: number; signal: AbortSignal },
): Promise<void> {
  const { db, config } = deps;
  const [scan] = await db.select().from(scans).where(eq(scans.id, scanId));
  // A retry of a scan another attempt already settled (or one deleted with its target): nothing to do.
  if (!scan || (scan.state !== 'pending' && scan.state !== 'running')) return;
  const startedAt = new Date();
  await db
    .update(scans)
    .set({ state: 'running', startedAt, progress: 0, stage: 'Starting', error: null })
    .where(eq(scans.id, scanId));

  const deadline = AbortSignal.timeout(config.scans.deadlineSeconds * 1000);
  const signal = AbortSignal.any([deadline, job.signal]);
  let lastWrite = 0;
  let pending: Promise<unknown> = Promise.resolve();
  const onProgress = (stage: string, percent: number) => {
    const now = Date.now();
    if (now - lastWrite < PROGRESS_EVERY_MS) return;
    lastWrite = now;
    const progress = Math.max(0, Math.min(99, Math.round(percent)));
    // Chained so writes land in order; a failed write only loses a progress tick.
    pending = pending
      .then(() =>
        db
          .update(scans)
          .set({ progress, stage: stage.slice(0, 300) })
          .where(eq(scans.id, scanId)),
      )
      .catch(() => undefined);
  };

  const settle = async (values: Partial<typeof scans.$inferInsert>) => {
    await pending;
    await db
      .update(scans)
      .set({ finishedAt: new Date(), ...values })
      .where(eq(scans.id, scanId));
  };
  const finalAttempt = job.attempt > SCAN_RETRIES;

  try {
    const { report, raw } = await scanUrl(scan.url, {
      policy: config.scanEgress,
      signal,
      // A second past ours, so it is always our deadline that fires (and the scan is `aborted`).
      deadlineMs: config.scans.deadlineSeconds * 1000 + 1000,
      onProgress,
    });
    if (signal.aborted) throw signal.reason;
    if (isNetworkFailure(report) && !finalAttempt) {
      throw new RetryableScanError(report.error ?? 'network error');
    }
    const ok = report.error === null || report.grade !== null;
    await settle({
      state: ok ? 'finished' : 'failed',
      progress: 100,
      stage: ok ? 'Finished' : 'Failed',
      grade: report.grade,
      score: report.score,
      extraGrade: report.extra.grade,
      extraScore: report.extra.score,
      failed: failedCount(report),
      report,
      raw,
      error: report.error,
    });
    if (ok) await recordLatestScan(db, scan.targetId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (deadline.aborted || job.signal.aborted) {
      await settle({
        state: 'aborted',
        stage: 'Aborted',
        error: deadline.aborted
          ? `The scan did not finish within ${config.scans.deadlineSeconds} s.`
          : 'The worker stopped during the scan.',
      });
      return;
    }
    if ((error instanceof RetryableScanError || isNetworkError(error)) && !finalAttempt) {
      await pending;
      await db
        .update(scans)
        .set({ state: 'pending', progress: 0, stage: `Retrying after: ${message}`.slice(0, 300) })
        .where(eq(scans.id, scanId));
      throw error;
    }
    deps.logger.warn({ scanId, err: message }, 'scan failed');
    await settle({ state: 'failed', stage: 'Failed', error: message.slice(0, 2000) });
    return;
  }
  if (scan.trigger === 'schedule') await alertAfterScan(deps, scanId);
}

export const scanRunJob = defineJob({
  name: 'scans.run',
  queue: 'scans',
  schema: z.object({ scanId: z.uuid() }).strict(),
  retry: { limit: SCAN_RETRIES, backoff: true, delaySeconds: 2, maxDelaySeconds: 120 },
  // Above the longest SCAN_DEADLINE_S, which aborts the scan itself: this lease only matters
  // when a worker dies mid-scan.
  timeoutSeconds: 15 * 60,
  async handler({ scanId }, { db, config, logger, attempt, signal }) {
    await runScan({ db, config, logger }, scanId, { attempt, signal });
  },
});
