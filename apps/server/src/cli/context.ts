import { join } from 'node:path';
import { config as loadDotenv } from 'dotenv';
import type { Logger } from 'pino';
import { loadConfig, type Config } from '../config.js';
import { ensureDatabase } from '../db/admin.js';
import { createDatabase, type DatabaseHandle } from '../db/client.js';
import { startEmbeddedPostgres } from '../db/embedded.js';
import { runMigrations } from '../db/migrate.js';
import { createLogger } from '../logger.js';
import { repoRoot } from '../paths.js';

export interface CliContext {
  config: Config;
  logger: Logger;
  /** Connects (starting the embedded PostgreSQL if needed) and migrates, once. */
  database(): Promise<DatabaseHandle & { url: string }>;
  close(): Promise<void>;
}

export function createCliContext(): CliContext {
  loadDotenv({ path: join(repoRoot, '.env'), quiet: true });
  const config = loadConfig();
  const logger = createLogger({ ...config, logFormat: config.logFormat });
  let opened: Promise<DatabaseHandle & { url: string }> | undefined;
  const closers: (() => Promise<void>)[] = [];

  async function open() {
    let url = config.databaseUrl;
    if (!url) {
      const embedded = await startEmbeddedPostgres({
        dataDir: join(config.dataDir, 'postgres'),
        port: config.embeddedPostgresPort,
      });
      closers.push(() => embedded.stop());
      url = await ensureDatabase(embedded.url, 'bastion');
    }
    await runMigrations(url);
    const handle = createDatabase(url, { poolMax: 2 });
    closers.unshift(() => handle.close());
    return { ...handle, url };
  }

  return {
    config,
    logger,
    database: () => (opened ??= open()),
    async close() {
      for (const close of closers) await close();
    },
  };
}
