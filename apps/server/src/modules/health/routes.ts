import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { healthResponseSchema, readyResponseSchema } from '@bastion/contract';
import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fastSerializerCompiler } from '../../http/fast-serializer.js';
import { migrationsDir } from '../../paths.js';

// Probes time out after a few seconds (Docker 5 s, Traefik 3 s): a database check that waits
// for a pooled connection longer than this answers "no" rather than hanging the probe.
const CHECK_TIMEOUT_MS = 1500;

async function answersInTime(run: () => Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([run().then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** When the newest committed migration was generated: applied ones are recorded by it. */
function newestMigration(): number {
  const journal = JSON.parse(
    readFileSync(join(migrationsDir, 'meta', '_journal.json'), 'utf8'),
  ) as {
    entries: { when: number }[];
  };
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}

/**
 * Two probes, for two questions (docs/operations.md#health):
 * - `/api/health`, liveness: is this process alive? Always 200 while it can answer, whatever
 *   the database is doing, so that a database restart never gets healthy containers killed or
 *   restarted. It still reports the database it sees (the home page shows it).
 * - `/api/ready`, readiness: should traffic come here? 503 unless the database answers, every
 *   committed migration is applied, and the process is not shutting down.
 */
export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  const expectedMigration = newestMigration();

  app.get(
    '/api/health',
    {
      config: { access: 'public', identify: false },
      // Probes hit this every few seconds: keep their lines out of the request log.
      logLevel: 'warn',
      // Probes and load balancers call this constantly: a compiled serializer, a prepared query.
      serializerCompiler: fastSerializerCompiler,
      schema: {
        tags: ['system'],
        summary: 'Liveness: is the process up? (Also reports whether it reaches PostgreSQL.)',
        response: { 200: healthResponseSchema },
      },
    },
    async (_request, reply) => {
      const healthy = await answersInTime(() =>
        app.pool.query({ name: 'health', text: 'SELECT 1' }),
      );
      return reply.code(200).send({
        status: healthy ? 'ok' : 'degraded',
        database: healthy ? 'healthy' : 'unhealthy',
        version: app.config.version,
        uptime: Math.round(process.uptime()),
      });
    },
  );

  app.get(
    '/api/ready',
    {
      config: { access: 'public', identify: false },
      logLevel: 'warn',
      schema: {
        tags: ['system'],
        summary:
          'Readiness: database up, migrations applied, not shutting down; route traffic here.',
        response: { 200: readyResponseSchema, 503: readyResponseSchema },
      },
    },
    async (_request, reply) => {
      let applied: number | undefined;
      const reachable = await answersInTime(async () => {
        const result = await app.db.execute<{ newest: string | null }>(
          sql`SELECT max(created_at)::text AS newest FROM drizzle.__drizzle_migrations`,
        );
        applied = Number(result.rows[0]?.newest ?? 0);
      });
      const checks = {
        database: reachable ? 'ok' : 'failing',
        migrations:
          reachable && applied !== undefined && applied >= expectedMigration ? 'ok' : 'failing',
        shutdown: app.isShuttingDown ? 'failing' : 'ok',
      } as const;
      const ready = Object.values(checks).every((check) => check === 'ok');
      if (!ready) void reply.header('retry-after', '5');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};
