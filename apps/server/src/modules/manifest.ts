import type { UserRole } from '@bastion/contract';
import type { FastifyBaseLogger, FastifyPluginAsync } from 'fastify';
import type { AdminResource } from '../admin/define.js';
import type { Command } from '../cli/command.js';
import type { Database } from '../db/client.js';
import type { DemoRandom } from '../demo/random.js';
import type { JobDefinition, QueueDefinition, ScheduleDefinition } from './jobs/registry.js';

/** What a module's demo part gets: the database, a seeded random source and a fixed "now". */
export interface DemoContext {
  db: Database;
  /** The database URL, for parts that talk to pg-boss directly. */
  url: string;
  logger: FastifyBaseLogger;
  random: DemoRandom;
  now: number;
}

/**
 * Everything a module adds to Bastion, in one place. `modules/index.ts` lists every manifest
 * once; the app (routes, plugins), the job runtime (jobs, schedules, queues), the CLI (commands),
 * `demo:seed` (demo) and the migration check (tables) read them from there, so a new module
 * touches its own folder plus that one line.
 */
export interface ModuleManifest {
  /** Unique, the module's folder name. */
  name: string;
  /**
   * The module's Drizzle tables (`import * as tables from './schema.js'`). drizzle-kit reads
   * every `modules/<name>/schema.ts` itself (drizzle.config.ts); a test checks that the two agree.
   */
  tables?: Record<string, unknown>;
  /**
   * App-wide plugins (decorators, hooks) made with fastify-plugin: registered before any
   * module's routes, so routes of every module can use them (`app.jobs`, say).
   */
  plugins?: FastifyPluginAsync[];
  /** The module's routes, in one encapsulated plugin. Every route declares `config.access`. */
  routes?: FastifyPluginAsync;
  /** Job types (`defineJob`) the workers run and the API may enqueue. */
  jobs?: JobDefinition[];
  /** Default schedules, seeded into `job_schedules` and editable there afterwards. */
  schedules?: ScheduleDefinition[];
  /** Queues the module's jobs run on, with a worker's default concurrency for each. */
  queues?: QueueDefinition[];
  /** API-token scopes the module's routes accept, with the least role that may grant each. */
  scopes?: Record<string, UserRole>;
  /**
   * The module's tables in the generic admin (`defineAdminResource`, in `admin.ts` next to
   * its schema): the admin module serves them all under /api/v1/admin/resources.
   */
  admin?: AdminResource[];
  /** `npm run cli -- <name>` commands. */
  commands?: Record<string, Command>;
  /**
   * Sample data for `demo:seed`: runs in the order of `modules/index.ts` (a module may use what
   * earlier ones seeded through their exported functions) and returns counts for the summary.
   */
  demo?: (context: DemoContext) => Promise<Record<string, number>>;
}

/** Identity with a type check: `export const crmModule = defineModule({ … })`. */
export function defineModule<const M extends ModuleManifest>(manifest: M): M {
  if (!/^[a-z][a-z0-9-]*$/.test(manifest.name)) {
    throw new Error(`invalid module name "${manifest.name}"`);
  }
  return manifest;
}
