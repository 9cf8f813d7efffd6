import type { JobSummary, Schedule } from '@bastion/contract';
import { nextRuns } from './schedules.js';
import type { JobScheduleRow } from './schema.js';

/** A row of pgboss.job as dashboard.ts selects it. */
export type JobRow = {
  id: string;
  name: string;
  state: JobSummary['state'];
  data: { job?: string; payload?: unknown; schedule?: string } | null;
  output: Record<string, unknown> | null;
  retry_count: number;
  retry_limit: number;
  created_on: Date | string;
  start_after: Date | string;
  started_on: Date | string | null;
  completed_on: Date | string | null;
  source_name: string | null;
  source_id: string | null;
  source_output: Record<string, unknown> | null;
};

const iso = (value: Date | string) => new Date(value).toISOString();
const isoOrNull = (value: Date | string | null) => (value === null ? null : iso(value));

function errorOf(output: Record<string, unknown> | string | null): JobSummary['error'] {
  // pg-boss stores a plain-string failure (e.g. its own "shut down while active") as `{ value }`.
  if (typeof output === 'string') return { message: output };
  if (output && typeof output.value === 'string') return { message: output.value };
  if (!output || typeof output.message !== 'string') return null;
  return {
    message: output.message,
    ...(typeof output.name === 'string' ? { name: output.name } : {}),
    ...(typeof output.stack === 'string' ? { stack: output.stack } : {}),
  };
}

export function presentJob(row: JobRow): JobSummary {
  const started = row.started_on ? new Date(row.started_on).getTime() : null;
  const completed = row.completed_on ? new Date(row.completed_on).getTime() : null;
  const failing = row.state === 'failed' || row.state === 'retry' || row.state === 'cancelled';
  return {
    id: row.id,
    queue: row.name,
    job: row.data?.job ?? '(unknown)',
    state: row.state,
    payload: row.data?.payload ?? null,
    error: failing ? errorOf(row.output) : errorOf(row.source_output),
    attempts: row.started_on ? row.retry_count + 1 : row.retry_count,
    maxAttempts: row.retry_limit + 1,
    schedule: row.data?.schedule ?? null,
    createdAt: iso(row.created_on),
    startAfter: iso(row.start_after),
    startedAt: isoOrNull(row.started_on),
    completedAt: isoOrNull(row.completed_on),
    durationMs: started !== null && completed !== null ? Math.max(0, completed - started) : null,
    source: row.source_name && row.source_id ? { queue: row.source_name, id: row.source_id } : null,
  };
}

export function presentSchedule(row: JobScheduleRow): Schedule {
  let upcoming: Date[] = [];
  try {
    upcoming = nextRuns(row.cron, row.timezone);
  } catch {
    // A row edited by hand into an invalid expression still lists; it simply has no next runs.
  }
  return {
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    job: row.jobName,
    payload: row.payload,
    enabled: row.enabled,
    builtIn: row.builtIn,
    lastRunAt: row.lastRunAt ? row.lastRunAt.toISOString() : null,
    nextRuns: row.enabled ? upcoming.map((date) => date.toISOString()) : [],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
