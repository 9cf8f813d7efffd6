import { parseArgs } from 'node:util';
import type { FastifyBaseLogger } from 'fastify';
import type { ConstructorOptions } from 'pg-boss';
import { ConfigError, parseWorkerQueues, type Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/client.js';
import { createBoss, ensureQueues } from './boss.js';
import { modules as allModules } from '../index.js';
import { installModules } from '../install.js';
import type { ModuleManifest } from '../manifest.js';
import { allQueues } from './registry.js';
import { JobsClient, registerProcessJobsClient, unregisterProcessJobsClient } from './client.js';
import { startScheduler, type SchedulerHandle } from './scheduler.js';
import { startWorker, type QueueConcurrency, type WorkerHandle } from './worker.js';

export type JobsRole = 'all' | 'web' | 'worker' | 'scheduler';

export interface JobsRuntimeOptions {
  role: JobsRole;
  config: Config;
  database: DatabaseHandle;
  logger: FastifyBaseLogger;
  /** Arguments after the role, e.g. `--queues default:8,mail:2 --batch-size 20`. */
  argv?: string[];
  /** Tests and the benchmark: pg-boss timing overrides (cron and maintenance intervals). */
  bossOverrides?: Partial<ConstructorOptions>;
  pollingIntervalSeconds?: number;
  /** The modules whose jobs this process knows (default: every module of `modules/index.ts`). */
  modules?: readonly ModuleManifest[];
}

export interface JobsRuntime {
  /** Graceful: stop fetching, give running jobs until `timeoutMs`, then release them. */
  stop(timeoutMs: number): Promise<void>;
}

/** `--queues default:4,mail --batch-size 20` override WORKER_QUEUES / WORKER_BATCH_SIZE. */
export function workerSettings(
  config: Config,
  argv: string[] = [],
): { queues: QueueConcurrency[]; batchSize: number } {
  const { values } = parseArgs({
    args: argv,
    options: { queues: { type: 'string' }, 'batch-size': { type: 'string' } },
    allowPositionals: true,
    strict: false,
  });
  const declared = allQueues();
  const queues =
    typeof values.queues === 'string'
      ? parseWorkerQueues(values.queues)
      : (config.workerQueues ??
        declared.map((queue) => ({ queue: queue.name, concurrency: queue.concurrency })));
  const unknown = queues.filter((entry) => !declared.some((queue) => queue.name === entry.queue));
  if (unknown.length > 0) {
    throw new ConfigError([
      `WORKER_QUEUES: unknown queue ${unknown.map((entry) => `"${entry.queue}"`).join(', ')}; ` +
        `the modules declare ${declared.map((queue) => queue.name).join(', ')}`,
    ]);
  }
  const batchFlag = Number(values['batch-size']);
  return {
    queues,
    batchSize: Number.isInteger(batchFlag) && batchFlag > 0 ? batchFlag : config.workerBatchSize,
  };
}

/**
 * Starts the job-processing parts of a process: a worker for `all` and `worker`, the scheduler
 * for `all` and `scheduler`, nothing for `web` (which only enqueues, through `app.jobs`).
 * Each part has its own pg-boss instance, so stopping the worker's does not cut the scheduler's.
 */
export async function startJobRuntime(options: JobsRuntimeOptions): Promise<JobsRuntime> {
  const { role, database, logger } = options;
  installModules(options.modules ?? allModules);
  const url = database.pool.options.connectionString;
  if (!url) throw new Error('jobs: the database pool has no connection string');
  let worker: WorkerHandle | undefined;
  let scheduler: SchedulerHandle | undefined;
  const bosses: { stop(timeoutMs: number): Promise<void> }[] = [];
  let unregister = () => {};

  if (role === 'all' || role === 'worker') {
    const settings = workerSettings(options.config, options.argv);
    const inFlight = settings.queues.reduce((sum, entry) => sum + entry.concurrency, 0);
    const boss = createBoss(url, logger, {
      supervise: true,
      listen: true,
      // One connection per poller plus headroom for settling and handler enqueues.
      poolMax: Math.min(20, 4 + Math.ceil(inFlight / settings.batchSize)),
      ...(options.bossOverrides ? { overrides: options.bossOverrides } : {}),
    });
    await boss.start();
    await ensureQueues(boss);
    const client = new JobsClient(boss);
    registerProcessJobsClient(client);
    unregister = () => unregisterProcessJobsClient(client);
    worker = await startWorker({
      boss,
      client,
      db: database.db,
      config: options.config,
      logger,
      ...settings,
      ...(options.pollingIntervalSeconds
        ? { pollingIntervalSeconds: options.pollingIntervalSeconds }
        : {}),
    });
  }

  if (role === 'all' || role === 'scheduler') {
    const boss = createBoss(url, logger, {
      schedule: true,
      supervise: role === 'scheduler',
      poolMax: 2,
      ...(options.bossOverrides ? { overrides: options.bossOverrides } : {}),
    });
    await boss.start();
    await ensureQueues(boss);
    scheduler = await startScheduler({ boss, db: database.db, logger });
    bosses.push({ stop: (timeoutMs) => boss.stop({ graceful: true, timeout: timeoutMs }) });
  }

  return {
    async stop(timeoutMs) {
      unregister();
      await scheduler?.stop();
      await Promise.all([worker?.stop(timeoutMs), ...bosses.map((boss) => boss.stop(timeoutMs))]);
    },
  };
}
