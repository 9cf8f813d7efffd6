import type { ScanGrade, ScanTarget } from '@bastion/contract';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { userEmails } from '../accounts/users.js';
import type { ScanTargetRow } from './schema.js';

// Targets as the API shows them. A page of targets costs three queries whatever its size: each
// target's latest scan (finished or not, so a running one shows), its last dozen scores for the
// trend line, and the owners' emails.

type Executor = Pick<Database, 'select' | 'execute'>;

const iso = (value: Date | string | null) =>
  value === null ? null : new Date(value).toISOString();

interface LatestRow extends Record<string, unknown> {
  target_id: string;
  id: string;
  state: string;
  grade: string | null;
  score: number | null;
  finished_at: string | null;
}
interface TrendRow extends Record<string, unknown> {
  target_id: string;
  score: number;
  at: string;
}

/** The targets as the API shows them: last scan, a score trend and the owner's email. */
export async function presentTargets(db: Executor, rows: ScanTargetRow[]): Promise<ScanTarget[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const idArray = sql`array[${sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  )}]`;
  const [latest, trend, emails] = await Promise.all([
    db.execute<LatestRow>(sql`
      select t.id as target_id, s.id, s.state, s.grade, s.score, s.finished_at
      from unnest(${idArray}) as t(id)
      cross join lateral (
        select id, state, grade, score, finished_at from scans
        where target_id = t.id order by created_at desc limit 1
      ) s`),
    db.execute<TrendRow>(sql`
      select t.id as target_id, s.score, s.finished_at as at
      from unnest(${idArray}) as t(id)
      cross join lateral (
        select score, finished_at from scans
        where target_id = t.id and state = 'finished' and score is not null
        order by finished_at desc limit 12
      ) s
      order by s.finished_at`),
    userEmails(
      db,
      rows.map((row) => row.ownerId),
    ),
  ]);
  const lastBy = new Map(latest.rows.map((row) => [row.target_id, row]));
  const trendBy = new Map<string, { score: number; at: string }[]>();
  for (const row of trend.rows) {
    const list = trendBy.get(row.target_id) ?? [];
    list.push({ score: row.score, at: iso(row.at)! });
    trendBy.set(row.target_id, list);
  }
  return rows.map((row) => {
    const last = lastBy.get(row.id);
    return {
      id: row.id,
      url: row.url,
      name: row.name,
      tags: row.tags,
      ownerId: row.ownerId,
      ownerEmail: emails.get(row.ownerId) ?? null,
      schedule: row.schedule as ScanTarget['schedule'],
      scheduleTime: row.scheduleTime,
      scheduleWeekday: row.scheduleWeekday,
      timezone: row.timezone,
      notify: row.notify,
      verified: row.verifiedAt !== null,
      verificationMethod: row.verificationMethod as ScanTarget['verificationMethod'],
      verifiedAt: iso(row.verifiedAt),
      verificationToken: row.verificationToken,
      lastScan: last
        ? {
            id: last.id,
            state: last.state,
            grade: last.grade as ScanGrade | null,
            score: last.score,
            finishedAt: iso(last.finished_at),
          }
        : null,
      trend: trendBy.get(row.id) ?? [],
      nextScanAt: iso(row.nextScanAt),
      createdAt: iso(row.createdAt)!,
      updatedAt: iso(row.updatedAt)!,
    };
  });
}

export async function presentTarget(db: Executor, row: ScanTargetRow): Promise<ScanTarget> {
  const [target] = await presentTargets(db, [row]);
  return target!;
}

/** One target the viewer may see, or a 404. */
