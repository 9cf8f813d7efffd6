import type { FastifyBaseLogger } from 'fastify';
import type { Job, JobResult, PgBoss } from 'pg-boss';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { JobsClient } from './client.js';
import { findJob, type JobEnvelope } from './registry.js';
import { recordScheduleRun } from './schedules.js';

export interface QueueConcurrency {
  queue: string;
  /** Jobs in flight at once in this process. */
  concurrency: number;
}

export interface WorkerOptions {
  boss: PgBoss;
  client: JobsClient;
  db: Database;
  config: Config;
  logger: FastifyBaseLogger;
  queues: QueueConcurrency[];
  /** Jobs claimed per fetch (one round trip); more means higher throughput for short jobs. */
  batchSize: number;
  pollingIntervalSeconds?: number;
}

export interface WorkerHandle {
  /** Stops fetching, waits for running jobs until `timeoutMs`, then fails what is still running. */
  stop(timeoutMs: number): Promise<void>;
}

class JobTimeoutError extends Error {
  constructor(seconds: number) {
    super(`Job timed out after ${seconds}s.`);
    this.name = 'JobTimeoutError';
  }
}

function serializeError(error: unknown) {
  if (error instanceof Error) {
    return {
      message: error.message,
      name: error.name,
      ...(error.stack ? { stack: error.stack } : {}),
    };
  }
  return { message: String(error) };
}

/**
 * Runs one job: validates its payload against the current schema, then calls the handler with a
 * deadline. A payload that no longer validates, or an unknown job type, goes straight to the
 * dead-letter queue: retrying cannot fix it.
 */
async function runOne(job: Job<JobEnvelope>, options: WorkerOptions): Promise<JobResult> {
  const { job: name, payload, schedule } = job.data;
  const definition = findJob(name);
  const logger = options.logger.child({ component: 'jobs', job: name, jobId: job.id });
  if (!definition) {
    logger.error('unknown job type; dead-lettered');
    return { id: job.id, status: 'deadletter', output: { message: `Unknown job "${name}".` } };
  }
  const parsed = definition.schema.safeParse(payload);
  if (!parsed.success) {
    logger.error({ issues: parsed.error.issues }, 'invalid payload; dead-lettered');
    return {
      id: job.id,
      status: 'deadletter',
      output: { message: `Invalid payload: ${parsed.error.message}` },
    };
  }
  if (schedule && job.retryCount === 0) await recordScheduleRun(options.db, schedule);

  const controller = new AbortController();
  const onAbort = () => controller.abort(job.signal.reason);
  job.signal.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const started = performance.now();
  try {
    await Promise.race([
      definition.handler(parsed.data, {
        jobId: job.id,
        attempt: job.retryCount + 1,
        signal: controller.signal,
        logger,
        db: options.db,
        config: options.config,
        enqueue: (next, data, enqueueOptions) => options.client.enqueue(next, data, enqueueOptions),
      }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new JobTimeoutError(definition.timeoutSeconds);
          controller.abort(error);
          reject(error);
        }, definition.timeoutSeconds * 1000);
      }),
    ]);
    logger.debug({ durationMs: Math.round(performance.now() - started) }, 'job completed');
    return { id: job.id, status: 'completed' };
  } catch (error) {
    logger.warn({ err: error, attempt: job.retryCount + 1 }, 'job failed');
    return { id: job.id, status: 'failed', output: serializeError(error) };
  } finally {
    clearTimeout(timer);
    job.signal.removeEventListener('abort', onAbort);
  }
}

// How long a finished job waits for slower jobs of its batch before it is settled on its own.
const EARLY_SETTLE_MS = 100;

/**
 * Runs a claimed batch. pg-boss settles a `perJobResults` batch only when every job in it has
 * returned, so a finished job would otherwise wait for its slowest batch-mate, and be failed with
 * it if the worker is stopped meanwhile. Short batches still settle in one statement; a job whose
 * batch is still running after EARLY_SETTLE_MS is settled alone (settling twice is a no-op).
 */
async function runBatch(queue: string, jobs: Job<JobEnvelope>[], options: WorkerOptions) {
  if (jobs.length === 1) return [await runOne(jobs[0]!, options)];
  let batchDone = false;
  const settleEarly = (result: JobResult, attempt: { id: string; retryCount: number }) => {
    const timer = setTimeout(() => {
      if (batchDone) return;
      const settling =
        result.status === 'completed'
          ? options.boss.complete(queue, attempt)
          : options.boss.fail(queue, attempt, result.output);
      settling.catch((error: unknown) =>
        options.logger.warn({ err: error, jobId: attempt.id }, 'early job settlement failed'),
      );
    }, EARLY_SETTLE_MS);
    timer.unref();
  };
  const results = await Promise.all(
    jobs.map(async (job) => {
      const result = await runOne(job, options);
      if (result.status !== 'deadletter') settleEarly(result, job);
      return result;
    }),
  );
  batchDone = true;
  return results;
}

/**
 * Subscribes to the given queues. Each pg-boss poller claims up to `batchSize` jobs per round
 * trip and runs them concurrently, settling each one on its own (`perJobResults`); pollers ×
 * batch ≤ the configured concurrency.
 */
export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const { boss } = options;
  for (const { queue, concurrency } of options.queues) {
    // pg-boss refetches at once only after a full batch (`burstWhenBatchFull`, batches of 2 or
    // more); after a batch of 1 it waits a polling interval, which would cap a backlog at
    // concurrency ÷ interval jobs/s. So batches are at least 2 whenever concurrency allows, and
    // pollers × batch never exceeds the concurrency.
    const batchSize = Math.max(1, Math.min(concurrency, Math.max(2, options.batchSize)));
    const pollers = Math.max(1, Math.floor(concurrency / batchSize));
    await boss.work<JobEnvelope>(
      queue,
      {
        batchSize,
        localConcurrency: pollers,
        perJobResults: true,
        burstWhenBatchFull: true,
        // Concurrency 1: batches of 1 burst only on pg-boss's cached backlog count.
        burstWhenReadyExceeds: 1,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
        // NOTIFY wakes idle workers for new jobs, but not when a delayed retry comes due: keep
        // polling at the base rate instead of pg-boss's relaxed 30 s notify backstop.
        notifyPollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
      },
      (jobs) => runBatch(queue, jobs, options),
    );
  }
  options.logger.info({ component: 'jobs', queues: options.queues }, 'worker started');
  return {
    async stop(timeoutMs) {
      // Graceful: no new fetches, running handlers get until the deadline; pg-boss then fails
      // the jobs still in hand (they retry per their policy) instead of leaving them to expire.
      await boss.stop({ graceful: true, timeout: timeoutMs });
    },
  };
}
