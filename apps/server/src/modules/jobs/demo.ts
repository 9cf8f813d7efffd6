import type { FastifyBaseLogger } from 'fastify';
import { createBoss, ensureQueues } from './boss.js';
import { JobsClient } from './client.js';
import { noopJob } from './system-jobs.js';

/**
 * A burst of no-op jobs, so the jobs dashboard shows queue traffic and throughput at once: the
 * worker of a running Bastion (or the next `npm start`) works them off in a moment.
 */
export async function enqueueDemoJobs(
  url: string,
  logger: FastifyBaseLogger,
  count: number,
): Promise<number> {
  const boss = createBoss(url, logger, { poolMax: 2 });
  await boss.start();
  try {
    await ensureQueues(boss);
    const sentAt = Date.now();
    const ids = await new JobsClient(boss).enqueueMany(
      noopJob,
      Array.from({ length: count }, () => ({ sentAt })),
    );
    return ids.length;
  } finally {
    await boss.stop({ graceful: false });
  }
}
