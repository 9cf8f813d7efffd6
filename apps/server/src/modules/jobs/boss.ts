import { DEAD_LETTER_QUEUE } from '@bastion/contract';
import type { FastifyBaseLogger } from 'fastify';
import { PgBoss, type ConstructorOptions } from 'pg-boss';
import { queueNames } from './registry.js';

/** Which parts of pg-boss an instance runs; each Bastion role turns on what it needs. */
export interface BossRole {
  /** Maintenance: expiring jobs of crashed workers, retention. Safe to run in several processes. */
  supervise?: boolean;
  /** The cron pass. pg-boss lets one instance at a time claim it (see scheduler.ts). */
  schedule?: boolean;
  /** LISTEN for new-job notifications, so idle workers pick a job up in milliseconds. */
  listen?: boolean;
  poolMax?: number;
  /** Test and benchmark overrides (cron/maintenance intervals). */
  overrides?: Partial<ConstructorOptions>;
}

export function createBoss(url: string, logger: FastifyBaseLogger, role: BossRole): PgBoss {
  const boss = new PgBoss({
    connectionString: url,
    application_name: 'bastion-jobs',
    max: role.poolMax ?? 4,
    supervise: role.supervise ?? false,
    schedule: role.schedule ?? false,
    useListenNotify: role.listen ?? false,
    // Migrations of pg-boss's own schema run under its advisory lock, like ours.
    migrate: true,
    ...role.overrides,
  });
  // pg-boss reports background errors (lost connection, maintenance) as events: log, never crash.
  boss.on('error', (err) => logger.error({ err, component: 'jobs' }, 'pg-boss error'));
  boss.on('warning', (warning) =>
    logger.warn({ component: 'jobs', data: warning.data }, warning.message),
  );
  return boss;
}

/**
 * Creates the queues (idempotent). New jobs NOTIFY listening workers; a job whose retries are
 * exhausted is copied to the dead-letter queue, where nothing consumes it until an operator
 * retries (redrives) it from the dashboard.
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  if (!existing.has(DEAD_LETTER_QUEUE)) {
    await boss.createQueue(DEAD_LETTER_QUEUE, { retentionSeconds: 30 * 86_400 });
  }
  for (const name of queueNames()) {
    if (!existing.has(name)) {
      await boss.createQueue(name, { notify: true, deadLetter: DEAD_LETTER_QUEUE });
    }
  }
}
