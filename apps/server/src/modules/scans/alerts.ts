import { SCAN_GRADES, type ScanReport } from '@bastion/contract';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { userEmails } from '../accounts/users.js';
import { sendMail } from '../mail/service.js';
import { scanAlertState, scans, scanTargets } from './schema.js';

/** A certificate expiring within this many days is announced (once per certificate). */
export const CERTIFICATE_WARNING_DAYS = 14;

export interface AlertChanges {
  gradeDrop: { from: string; to: string } | null;
  newlyFailing: string[];
  certificateExpiry: { validTo: string; days: number } | null;
}

const rank = (grade: string | null) => (grade === null ? -1 : SCAN_GRADES.indexOf(grade as never));

export function failingTests(report: ScanReport | null): string[] {
  if (!report) return [];
  return [...new Set(report.findings.filter((f) => f.pass === false).map((f) => f.test))].sort();
}

/**
 * The leaf certificate's expiry: the earliest `validTo` the findings carry in their data (the
 * TLS checks put the certificate fields there). null without TLS.
 */
export function certificateValidTo(report: ScanReport | null): string | null {
  let earliest: string | null = null;
  for (const finding of report?.findings ?? []) {
    const value = finding.data?.validTo;
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      if (earliest === null || Date.parse(value) < Date.parse(earliest)) earliest = value;
    }
  }
  return earliest;
}

/**
 * What changed since the owner was last told: a worse grade than the one last reported, tests
 * that fail now and did not then, a certificate close to expiry that was not announced yet.
 */
export function changesSince(
  known: { grade: string | null; failingTests: string[]; certificateExpiryNotified: string | null },
  current: { grade: string | null; report: ScanReport | null },
  now: Date,
): AlertChanges {
  const gradeDrop =
    known.grade !== null && current.grade !== null && rank(current.grade) > rank(known.grade)
      ? { from: known.grade, to: current.grade }
      : null;
  const before = new Set(known.failingTests);
  const newlyFailing = failingTests(current.report).filter((test) => !before.has(test));
  const validTo = certificateValidTo(current.report);
  let certificateExpiry: AlertChanges['certificateExpiry'] = null;
  if (validTo !== null && validTo !== known.certificateExpiryNotified) {
    const days = Math.floor((Date.parse(validTo) - now.getTime()) / 86_400_000);
    if (days < CERTIFICATE_WARNING_DAYS) certificateExpiry = { validTo, days };
  }
  return { gradeDrop, newlyFailing, certificateExpiry };
}

const anyChange = (changes: AlertChanges) =>
  changes.gradeDrop !== null ||
  changes.newlyFailing.length > 0 ||
  changes.certificateExpiry !== null;

function alertMail(
  target: { name: string; url: string; id: string },
  changes: AlertChanges,
  link: string,
) {
  const lines = [`The latest scheduled scan of ${target.name} (${target.url}) found:`, ''];
  if (changes.gradeDrop) {
    lines.push(`- The grade dropped from ${changes.gradeDrop.from} to ${changes.gradeDrop.to}.`);
  }
  if (changes.newlyFailing.length > 0) {
    lines.push(`- Tests that now fail: ${changes.newlyFailing.join(', ')}.`);
  }
  if (changes.certificateExpiry) {
    const { days, validTo } = changes.certificateExpiry;
    lines.push(
      days < 0
        ? `- The TLS certificate expired on ${validTo.slice(0, 10)}.`
        : `- The TLS certificate expires in ${days} day${days === 1 ? '' : 's'} (${validTo.slice(0, 10)}).`,
    );
  }
  lines.push('', `See the report: ${link}`);
  const subject = changes.gradeDrop
    ? `${target.name}: grade dropped to ${changes.gradeDrop.to}`
    : changes.certificateExpiry
      ? `${target.name}: certificate expires soon`
      : `${target.name}: new failing tests`;
  return { subject, text: lines.join('\n') };
}

/**
 * After a scheduled scan: compares it with what the owner was last told (the first time, with
 * the previous finished scan) and queues one mail when something got worse. The state and the
 * mail commit together, under a lock on the state row, so a change is mailed exactly once even
 * when two scans of the target finish at the same moment.
 */
export async function alertAfterScan(
  deps: { db: Database; config: Config; logger?: FastifyBaseLogger },
  scanId: string,
  now = new Date(),
): Promise<AlertChanges | null> {
  return deps.db.transaction(async (tx) => {
    const [scan] = await tx.select().from(scans).where(eq(scans.id, scanId));
    if (!scan || scan.state !== 'finished') return null;
    const [target] = await tx.select().from(scanTargets).where(eq(scanTargets.id, scan.targetId));
    if (!target || target.deletedAt) return null;
    await tx.insert(scanAlertState).values({ targetId: target.id }).onConflictDoNothing();
    const [state] = await tx
      .execute<{
        grade: string | null;
        failing_tests: string[];
        certificate_expiry_notified: string | null;
        fresh: boolean;
      }>(
        sql`select grade, failing_tests, certificate_expiry_notified,
                  (grade is null and cardinality(failing_tests) = 0) as fresh
           from scan_alert_state where target_id = ${target.id} for update`,
      )
      .then((r) => r.rows);
    let known = {
      grade: state?.grade ?? null,
      failingTests: state?.failing_tests ?? [],
      certificateExpiryNotified: state?.certificate_expiry_notified ?? null,
    };
    if (state?.fresh) {
      // Nothing told yet: the baseline is the finished scan before this one.
      const [previous] = await tx
        .select({ grade: scans.grade, report: scans.report })
        .from(scans)
        .where(
          and(
            eq(scans.targetId, target.id),
            eq(scans.state, 'finished'),
            lt(scans.finishedAt, scan.finishedAt ?? now),
          ),
        )
        .orderBy(desc(scans.finishedAt))
        .limit(1);
      // With no scan before it, the first one is the baseline: nothing got worse yet (only a
      // certificate near expiry is news on its own).
      const baseline = previous ?? { grade: scan.grade, report: scan.report };
      known = {
        ...known,
        grade: baseline.grade,
        failingTests: failingTests(baseline.report as ScanReport | null),
      };
    }
    const report = scan.report as ScanReport | null;
    const changes = changesSince(known, { grade: scan.grade, report }, now);
    if (anyChange(changes) && target.notify) {
      const to = (await userEmails(tx, [target.ownerId])).get(target.ownerId);
      if (to) {
        const link = `${deps.config.publicUrl}/scans/scans/${scan.id}`;
        await sendMail(
          { db: tx, config: deps.config, ...(deps.logger ? { log: deps.logger } : {}) },
          {
            to,
            ...alertMail(target, changes, link),
          },
        );
      }
    }
    await tx
      .update(scanAlertState)
      .set({
        grade: scan.grade,
        failingTests: failingTests(report),
        certificateExpiryNotified:
          changes.certificateExpiry?.validTo ?? known.certificateExpiryNotified,
        updatedAt: now,
      })
      .where(eq(scanAlertState.targetId, target.id));
    return changes;
  });
}
