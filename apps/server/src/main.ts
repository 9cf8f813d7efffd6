import { join } from 'node:path';
import closeWithGrace from 'close-with-grace';
import { config as loadDotenv } from 'dotenv';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { ensureDatabase } from './db/admin.js';
import { createDatabase } from './db/client.js';
import {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from './db/embedded.js';
import { runMigrations } from './db/migrate.js';
import { startHeartbeat } from './heartbeat.js';
import { createLogger } from './logger.js';
import { firstStartSetupLink } from './modules/accounts/setup.js';
import { initSentry } from './plugins/sentry.js';
import { startJobRuntime } from './modules/jobs/runtime.js';
import { repoRoot } from './paths.js';
import { onStopSignal, stopSignals } from './stop-signals.js';

/**
 * One binary, several roles: `main.js [all|web|worker|scheduler]` (or BASTION_ROLE).
 * `all`, the default, is what `npm start` runs: API + web + worker + scheduler in one process.
 */
const ROLES = ['all', 'web', 'worker', 'scheduler'] as const;
type Role = (typeof ROLES)[number];

function parseRole(value: string | undefined): Role {
  const role = value ?? 'all';
  if ((ROLES as readonly string[]).includes(role)) return role as Role;
  throw new ConfigError([`unknown role "${role}"; expected one of ${ROLES.join(', ')}`]);
}

async function main() {
  loadDotenv({ path: join(repoRoot, '.env'), quiet: true });
  const config = loadConfig();
  const role = parseRole(process.argv[2] ?? process.env.BASTION_ROLE);
  const logger = createLogger(config);
  await initSentry(config);
  const startedAt = performance.now();

  let embedded: EmbeddedPostgresHandle | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres({
      dataDir: join(config.dataDir, 'postgres'),
      port: config.embeddedPostgresPort,
      log: (message) => logger.debug({ component: 'postgres' }, message),
      notify: (message) => logger.info({ component: 'postgres' }, message),
    });
    databaseUrl = await ensureDatabase(embedded.url, 'bastion');
    logger.info(
      { port: embedded.port, dataDir: join(config.dataDir, 'postgres') },
      'embedded PostgreSQL started',
    );
  }
  await runMigrations(databaseUrl);
  const database = createDatabase(databaseUrl, { poolMax: config.databasePoolMax });

  const app =
    role === 'all' || role === 'web' ? await buildApp({ config, database, logger }) : undefined;
  const jobs = await startJobRuntime({
    role,
    config,
    database,
    logger,
    argv: process.argv.slice(3),
  });

  // Roles without a port prove they are alive through a file (healthcheck.ts reads it).
  const stopHeartbeat = app ? undefined : startHeartbeat(database.pool, logger);

  let signal: NodeJS.Signals | undefined;
  const grace = { delay: config.shutdownTimeoutMs, skip: stopSignals };
  const shutdown = closeWithGrace(grace, async ({ err }) => {
    if (err) logger.error({ err }, 'fatal error, shutting down');
    else logger.info({ signal }, 'shutting down');
    // In parallel with the HTTP close, within the same deadline: a worker stops fetching at once
    // and gives running jobs until 2 s before it, then releases them for another worker.
    stopHeartbeat?.();
    const jobsStopped = jobs.stop(Math.max(1000, config.shutdownTimeoutMs - 2000));
    await app?.close();
    await jobsStopped;
    await database.close();
    await embedded?.stop();
    logger.info('stopped');
    logger.flush();
  });
  onStopSignal(logger, (received) => {
    signal = received;
    void shutdown.close();
  });

  if (app) {
    await app.listen({ host: config.host, port: config.port });
    const shownHost =
      config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
    logger.info(
      { role, bootMs: Math.round(performance.now() - startedAt) },
      `Bastion is running at http://${shownHost}:${config.port}`,
    );
    // No admin yet: a one-time link lets the first visitor create the admin account.
    const setupLink = await firstStartSetupLink({ db: database.db, config });
    if (setupLink) {
      logger.warn(`No admin account exists yet. Create it (link valid 24 h): ${setupLink}`);
    }
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    console.error(`bastion: ${error.message}`);
  } else {
    console.error('bastion: failed to start:', error);
  }
  process.exit(1);
});
