import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';
import { dropDatabase, ensureDatabase } from '../src/db/admin.js';
import { createDatabase, type DatabaseHandle } from '../src/db/client.js';
import type { ModuleManifest } from '../src/modules/manifest.js';
import './provided-context.js';

let counter = 0;

/** A new database copied from the migrated template: isolated rows for one test app. */
export async function createTestDatabase(): Promise<
  DatabaseHandle & { url: string; drop(): Promise<void> }
> {
  const serverUrl = inject('databaseServerUrl');
  const template = inject('templateDatabase');
  const name = `${template}_${process.pid}_${++counter}`;
  const url = await ensureDatabase(serverUrl, name, template);
  const handle = createDatabase(url, { poolMax: 5 });
  return {
    ...handle,
    url,
    async drop() {
      await handle.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', SERVE_WEB: 'false', LOG_LEVEL: 'silent', ...env });
}

export interface TestApp {
  app: FastifyInstance;
  database: Awaited<ReturnType<typeof createTestDatabase>>;
  config: Config;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Environment variables on top of the test defaults. */
  env?: Record<string, string>;
  /** Extra routes for the test (registered after every real plugin and module). */
  routes?: (app: FastifyInstance) => void;
  logger?: FastifyBaseLogger;
  /** The modules to serve instead of every module of `modules/index.ts`. */
  modules?: readonly ModuleManifest[];
}

/** A fully built app (every plugin and module) on its own database; call close() in afterAll. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = { ...testConfig(options.env), databaseUrl: database.url };
  const app = await buildApp({
    config,
    database,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.modules ? { modules: options.modules } : {}),
  });
  options.routes?.(app);
  await app.ready();
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}
