import type { JobListFilters, JobState, JobsOverview } from '@bastion/contract';
import { sql, type SQL } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import type { JobRow } from './presenters.js';

const STATES: JobState[] = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'];

/**
 * Read-only queries over pg-boss's job table for the dashboard. pg-boss has no API for "latest
 * jobs in any state" or per-minute throughput, and its schema is stable within a major version.
 */
export async function jobsOverview(db: Database): Promise<JobsOverview> {
  const counts = await db.execute<{ queue: string; state: JobState | null; count: number }>(sql`
    SELECT q.name AS queue, j.state::text AS state, count(j.id)::int AS count
    FROM pgboss.queue q LEFT JOIN pgboss.job j ON j.name = q.name
    -- pg-boss's own queues (its cron sender) are plumbing, not work anyone needs to watch.
    WHERE q.name NOT LIKE '\_\_pgboss\_\_%'
    GROUP BY 1, 2 ORDER BY 1`);
  const queues = new Map<string, Record<JobState, number>>();
  for (const row of counts.rows) {
    const entry =
      queues.get(row.queue) ??
      (Object.fromEntries(STATES.map((state) => [state, 0])) as Record<JobState, number>);
    if (row.state) entry[row.state] = row.count;
    queues.set(row.queue, entry);
  }

  const perMinute = await db.execute<{ minute: Date | string; completed: number; failed: number }>(
    sql`
    SELECT date_trunc('minute', completed_on) AS minute,
      count(*) FILTER (WHERE state = 'completed')::int AS completed,
      count(*) FILTER (WHERE state = 'failed')::int AS failed
    FROM pgboss.job
    WHERE completed_on > now() - interval '60 minutes' AND state IN ('completed', 'failed')
    GROUP BY 1`,
  );
  const byMinute = new Map(
    perMinute.rows.map((row) => [new Date(row.minute).getTime(), row] as const),
  );
  const now = new Date();
  const currentMinute = Math.floor(now.getTime() / 60_000) * 60_000;
  const throughput = Array.from({ length: 60 }, (_, index) => {
    const minute = currentMinute - (59 - index) * 60_000;
    const row = byMinute.get(minute);
    return {
      minute: new Date(minute).toISOString(),
      completed: row?.completed ?? 0,
      failed: row?.failed ?? 0,
    };
  });

  return {
    queues: [...queues].map(([name, stateCounts]) => ({ name, counts: stateCounts })),
    throughput,
    generatedAt: now.toISOString(),
  };
}

const JOB_COLUMNS = sql`id, name, state::text AS state, data, output, retry_count, retry_limit,
  created_on, start_after, started_on, completed_on, source_name, source_id, source_output`;

export async function listJobs(db: Database, query: JobListFilters): Promise<JobRow[]> {
  const filters: SQL[] = [sql`true`];
  if (query.queue) filters.push(sql`name = ${query.queue}`);
  if (query.state) filters.push(sql`state = ${query.state}::pgboss.job_state`);
  if (query.job) filters.push(sql`data->>'job' = ${query.job}`);
  const result = await db.execute<JobRow>(sql`
    SELECT ${JOB_COLUMNS} FROM pgboss.job
    WHERE ${sql.join(filters, sql` AND `)}
    ORDER BY created_on DESC LIMIT ${query.limit}`);
  return result.rows;
}

export async function getJob(db: Database, queue: string, id: string): Promise<JobRow | undefined> {
  const result = await db.execute<JobRow>(sql`
    SELECT ${JOB_COLUMNS} FROM pgboss.job WHERE name = ${queue} AND id = ${id}`);
  return result.rows[0];
}
