import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import type { EnqueueOptions } from './client.js';

/**
 * How a failed attempt is retried. pg-boss computes the delay: with `backoff`, roughly
 * `delaySeconds * 2^attempt` with random jitter, capped at `maxDelaySeconds`.
 */
export interface RetryPolicy {
  /** Retries after the first attempt; `maxAttempts = limit + 1`. */
  limit: number;
  delaySeconds?: number;
  backoff?: boolean;
  maxDelaySeconds?: number;
}

export interface JobContext {
  jobId: string;
  /** 1 for the first attempt, 2 for the first retry, … */
  attempt: number;
  /** Aborted when the job times out or the worker stops: long handlers should honour it. */
  signal: AbortSignal;
  logger: FastifyBaseLogger;
  db: Database;
  config: Config;
  enqueue<S extends z.ZodType>(
    job: JobDefinition<S> | string,
    data: z.input<S>,
    options?: EnqueueOptions,
  ): Promise<string>;
}

export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  name: string;
  /** A queue some module declares in its manifest (`queues`). */
  queue: string;
  schema: S;
  retry: RetryPolicy;
  /** An attempt running longer fails (and is retried); also the lease after which a crashed worker's job is retried. */
  timeoutSeconds: number;
  handler(data: z.output<S>, context: JobContext): Promise<void>;
}

export interface ScheduleDefinition {
  name: string;
  cron: string;
  timezone?: string;
  job: string;
  payload?: Record<string, unknown>;
  enabled?: boolean;
}

/** What pg-boss stores as a job's data: the job type, its payload and the schedule that made it. */
export interface JobEnvelope {
  job: string;
  payload: unknown;
  schedule?: string;
}

/** A queue and how many of its jobs one worker runs at once unless WORKER_QUEUES says otherwise. */
export interface QueueDefinition {
  name: string;
  concurrency: number;
}

const jobs = new Map<string, JobDefinition>();
const schedules = new Map<string, ScheduleDefinition>();
const queues = new Map<string, QueueDefinition>();

const JOB_NAME = /^[a-z][a-z0-9]*(?:[._-][a-z0-9]+)*$/;
const QUEUE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * Declares a job type, next to the module code that owns it (e.g. `modules/mail/jobs.ts`). The
 * module lists it in its manifest's `jobs`, which registers it in every process (API, workers,
 * scheduler, CLI) through `installModules()`.
 */
export function defineJob<S extends z.ZodType>(definition: JobDefinition<S>): JobDefinition<S> {
  if (!JOB_NAME.test(definition.name)) throw new Error(`invalid job name "${definition.name}"`);
  if (definition.timeoutSeconds < 1) throw new Error('timeoutSeconds must be at least 1');
  return definition;
}

/**
 * Makes job types known to this process. Registering the same definition again is a no-op (every
 * role installs the modules); two different definitions under one name are a mistake.
 */
export function registerJobs(definitions: readonly JobDefinition[]): void {
  for (const definition of definitions) {
    const known = jobs.get(definition.name);
    if (known && known !== definition) {
      throw new Error(`job "${definition.name}" is defined twice`);
    }
    jobs.set(definition.name, definition);
  }
}

/** Default schedules, seeded into `job_schedules` (editable there afterwards). */
export function registerSchedules(definitions: readonly ScheduleDefinition[]): void {
  for (const definition of definitions) {
    const known = schedules.get(definition.name);
    if (known && known !== definition) {
      throw new Error(`schedule "${definition.name}" is defined twice`);
    }
    schedules.set(definition.name, definition);
  }
}

export function registerQueues(definitions: readonly QueueDefinition[]): void {
  for (const definition of definitions) {
    if (!QUEUE_NAME.test(definition.name))
      throw new Error(`invalid queue name "${definition.name}"`);
    if (!queues.has(definition.name)) queues.set(definition.name, definition);
  }
}

export function findJob(name: string): JobDefinition | undefined {
  return jobs.get(name);
}

export function allJobs(): JobDefinition[] {
  return [...jobs.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function defaultSchedules(): ScheduleDefinition[] {
  return [...schedules.values()];
}

/** Every queue the installed modules declared, in declaration order. */
export function allQueues(): QueueDefinition[] {
  return [...queues.values()];
}

export function queueNames(): string[] {
  return [...queues.keys()];
}

/** pg-boss send options derived from a job's declared policy. */
export function sendOptionsFor(definition: JobDefinition) {
  const { retry } = definition;
  return {
    retryLimit: retry.limit,
    retryDelay: retry.delaySeconds ?? (retry.backoff ? 1 : 0),
    retryBackoff: retry.backoff ?? false,
    ...(retry.maxDelaySeconds ? { retryDelayMax: retry.maxDelaySeconds } : {}),
    expireInSeconds: definition.timeoutSeconds,
  };
}
