import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import { systemSettings } from '../db/settings.js';
import { recordAudit } from '../modules/audit/service.js';
import { modules as allModules } from '../modules/index.js';
import type { ModuleManifest } from '../modules/manifest.js';
import { demoRandom } from './random.js';

const MARKER = 'demo.seeded_at';

/** What each module seeded, e.g. `{ staff: 3, leads: 240, subscribers: 120, jobs: 40 }`. */
export type DemoSummary = Record<string, number>;

/**
 * Fills every module with sample data, once per database: each module's manifest `demo` part, in
 * the order of `modules/index.ts` (accounts' sales staff before the CRM leads they own), then an
 * audit entry. Returns undefined when the demo data is there already. If a part fails, the marker
 * is removed so the command can run again; each part keeps its own writes all-or-nothing.
 */
export async function seedDemo(options: {
  db: Database;
  url: string;
  logger: FastifyBaseLogger;
  now?: number;
  modules?: readonly ModuleManifest[];
}): Promise<DemoSummary | undefined> {
  const { db } = options;
  const claimed = await db
    .insert(systemSettings)
    .values({ key: MARKER, value: new Date().toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return undefined;
  try {
    const context = {
      db,
      url: options.url,
      logger: options.logger,
      random: demoRandom(20_261_201),
      now: options.now ?? Date.now(),
    };
    const summary: DemoSummary = {};
    for (const module of options.modules ?? allModules) {
      if (module.demo) Object.assign(summary, await module.demo(context));
    }
    await recordAudit(db, { action: 'demo.seeded', actor: 'cli', data: { ...summary } });
    return summary;
  } catch (error) {
    await db.delete(systemSettings).where(eq(systemSettings.key, MARKER));
    throw error;
  }
}
