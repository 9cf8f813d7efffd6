import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/client.js';
import { ensureDemoStaff } from '../modules/accounts/demo.js';
import { recordAudit } from '../modules/audit/service.js';
import { seedCrmDemo } from '../modules/crm/demo.js';
import { listLeadOwners } from '../modules/crm/lead-owners.js';
import { systemSettings } from '../modules/health/schema.js';
import { enqueueDemoJobs } from '../modules/jobs/demo.js';
import { demoRandom } from './random.js';

const MARKER = 'demo.seeded_at';

export interface DemoSummary {
  staff: number;
  leads: number;
  subscribers: number;
  jobs: number;
}

/**
 * Fills every module with sample data, once per database: sales staff, leads with timelines,
 * newsletter subscribers, a burst of jobs and an audit entry. Returns undefined when the demo
 * data is there already. Each module builds its own part (`modules/<name>/demo.ts`).
 */
export async function seedDemo(options: {
  db: Database;
  url: string;
  logger: FastifyBaseLogger;
  now?: number;
}): Promise<DemoSummary | undefined> {
  const { db } = options;
  const claimed = await db
    .insert(systemSettings)
    .values({ key: MARKER, value: new Date().toISOString() })
    .onConflictDoNothing()
    .returning();
  if (claimed.length === 0) return undefined;
  try {
    const random = demoRandom(20_261_201);
    const staff = await ensureDemoStaff(db);
    // Everyone a lead may be assigned to: the demo staff and the real staff and admins.
    const owners = (await listLeadOwners(db)).map((owner) => owner.id);
    // The jobs first: if they fail, nothing else was written; the CRM part is one transaction.
    const jobs = await enqueueDemoJobs(options.url, options.logger, 40);
    const crm = await seedCrmDemo(db, random, owners, { now: options.now ?? Date.now() });
    const summary = { staff: staff.length, ...crm, jobs };
    await recordAudit(db, { action: 'demo.seeded', actor: 'cli', data: { ...summary } });
    return summary;
  } catch (error) {
    await db.delete(systemSettings).where(eq(systemSettings.key, MARKER));
    throw error;
  }
}
