import closeWithGrace from 'close-with-grace';
import { loadConfig } from '../../../config.js';
import { createDatabase } from '../../../db/client.js';
import { createLogger } from '../../../logger.js';
import { startJobRuntime } from '../runtime.js';
import './test-jobs.js';

/**
 * A worker process for the crash and drain tests: what `main.js worker` does (runtime + graceful
 * shutdown on SIGTERM within SHUTDOWN_TIMEOUT_MS), plus the test job types and a 1-second
 * maintenance interval so a crashed worker's expired job is reclaimed quickly.
 */
const config = loadConfig();
const logger = createLogger(config);
const database = createDatabase(config.databaseUrl!, { poolMax: 4 });
const jobs = await startJobRuntime({
  role: 'worker',
  config,
  database,
  logger,
  argv: process.argv.slice(2),
  bossOverrides: { superviseIntervalSeconds: 1, monitorIntervalSeconds: 1 },
  pollingIntervalSeconds: 0.5,
});
closeWithGrace({ delay: config.shutdownTimeoutMs + 5000 }, async ({ signal }) => {
  logger.info({ signal }, 'worker stopping');
  await jobs.stop(config.shutdownTimeoutMs);
  await database.close();
  logger.info('worker stopped');
});
logger.info('worker ready');
