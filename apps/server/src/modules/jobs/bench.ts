/**
 * `npm run bench:jobs [-- --jobs 20000 --concurrency 100 --batch 50]`: enqueue throughput (bulk
 * insert), end-to-end throughput of a no-op job, and pickup latency (enqueue → start, p50/p99),
 * on the embedded PostgreSQL in a temporary directory, or on DATABASE_URL's server (in a
 * throwaway database either way).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { loadConfig } from '../../config.js';
import { createDatabase } from '../../db/client.js';
import { scratchDatabase } from '../../db/scratch-database.js';
import { runMigrations } from '../../db/migrate.js';
import { modules } from '../index.js';
import { installModules } from '../install.js';
import { createBoss, ensureQueues } from './boss.js';
import { JobsClient } from './client.js';
import { startJobRuntime } from './runtime.js';
import { noopJob } from './system-jobs.js';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '100' },
    batch: { type: 'string', default: '50' },
    'latency-jobs': { type: 'string', default: '300' },
  },
});
const total = Number(values.jobs);
const concurrency = Number(values.concurrency);
const batch = Number(values.batch);
const latencyJobs = Number(values['latency-jobs']);
const logger = pino({ level: 'warn' });

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main() {
  // The queues and job types come from the module manifests, as in every role of the app.
  installModules(modules);
  const scratch = await scratchDatabase('bastion_bench');
  const url = scratch.url;
  await runMigrations(url);
  const database = createDatabase(url, { poolMax: 10 });
  const boss = createBoss(url, logger, { poolMax: 10 });
  await boss.start();
  await ensureQueues(boss);
  const client = new JobsClient(boss);
  const count = async (state: string) =>
    (
      await database.db.execute<{ n: number }>(
        sql`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'default' AND state = ${state}::pgboss.job_state`,
      )
    ).rows[0]!.n;

  try {
    const phase = (name: string) => process.stderr.write(`bench: ${name}\n`);
    phase('enqueue');
    // 1. Enqueue throughput: bulk inserts of 1,000, nobody consuming.
    const items = Array.from({ length: 1000 }, () => ({}));
    let started = performance.now();
    for (let sent = 0; sent < total; sent += items.length) await client.enqueueMany(noopJob, items);
    const enqueueRate = total / ((performance.now() - started) / 1000);
    await boss.deleteAllJobs('default');

    // 2. One-by-one enqueue (a round trip each), for comparison.
    const single = Math.min(2000, total);
    started = performance.now();
    for (let sent = 0; sent < single; sent++) await client.enqueue(noopJob, {});
    const singleRate = single / ((performance.now() - started) / 1000);
    await boss.deleteAllJobs('default');

    phase('end to end');
    // 3. End to end: the worker runs while a backlog of `total` jobs is inserted in bulk.
    const config = { ...loadConfig({ NODE_ENV: 'test' }), workerBatchSize: batch };
    const runtime = await startJobRuntime({
      role: 'worker',
      config,
      database,
      logger,
      argv: ['--queues', `default:${concurrency}`],
    });
    started = performance.now();
    for (let sent = 0; sent < total; sent += items.length) await client.enqueueMany(noopJob, items);
    while ((await count('completed')) < total) await delay(50);
    const processRate = total / ((performance.now() - started) / 1000);
    await boss.deleteAllJobs('default');

    phase('pickup latency');
    // 4. Pickup latency with an idle worker: one job at a time, 20 ms apart.
    for (let sent = 0; sent < latencyJobs; sent++) {
      await client.enqueue(noopJob, {});
      await delay(20);
    }
    while ((await count('completed')) < latencyJobs) await delay(50);
    const waits = (
      await database.db.execute<{ ms: number }>(sql`
        SELECT extract(epoch FROM started_on - created_on) * 1000 AS ms
        FROM pgboss.job WHERE name = 'default' AND state = 'completed'`)
    ).rows
      .map((row) => Number(row.ms))
      .sort((a, b) => a - b);
    await runtime.stop(5000);

    const results = {
      database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL',
      jobs: total,
      concurrency,
      batchSize: batch,
      enqueueBulkPerSecond: Math.round(enqueueRate),
      enqueueOneByOnePerSecond: Math.round(singleRate),
      endToEndPerSecond: Math.round(processRate),
      pickupP50Ms: Math.round(percentile(waits, 50) * 10) / 10,
      pickupP99Ms: Math.round(percentile(waits, 99) * 10) / 10,
    };
    console.table(results);
    console.log(JSON.stringify(results));
  } finally {
    await boss.stop({ graceful: false });
    await database.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
