import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { defineJob, registerJobs } from '../registry.js';

// Job types used by the tests and the child worker process they spawn (worker-process.ts). They
// keep their observable effects in the database, so a test can see what another process did.

async function record(
  db: Parameters<Parameters<typeof defineJob>[0]['handler']>[1]['db'],
  key: string,
  value: string,
) {
  await db.execute(sql`
    INSERT INTO system_settings (key, value) VALUES (${key}, ${value})
    ON CONFLICT (key) DO UPDATE SET value = system_settings.value || ',' || excluded.value`);
}

/** Attempt 1 blocks until aborted (a crash or a graceful stop ends it); attempt 2 completes. */
export const blockOnceJob = defineJob({
  name: 'test.block-once',
  queue: 'default',
  schema: z.object({ tag: z.string() }),
  retry: { limit: 3 },
  timeoutSeconds: 4,
  async handler({ tag }, { attempt, db, signal }) {
    await record(db, `started:${tag}`, `${attempt}@${process.pid}`);
    if (attempt > 1) return;
    await new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  },
});

/** Sleeps `ms`, then records that it finished. */
export const sleepJob = defineJob({
  name: 'test.sleep',
  queue: 'default',
  schema: z.object({ tag: z.string(), ms: z.number().int().min(0) }),
  retry: { limit: 2 },
  timeoutSeconds: 60,
  async handler({ tag, ms }, { attempt, db }) {
    await record(db, `started:${tag}`, `${attempt}@${process.pid}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    await record(db, `finished:${tag}`, `${attempt}@${process.pid}`);
  },
});

// Not part of any module's manifest: registered here, by whoever imports the test jobs.
registerJobs([blockOnceJob, sleepJob]);
