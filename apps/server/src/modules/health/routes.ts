import { healthResponseSchema, readyResponseSchema } from '@bastion/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { fastSerializerCompiler } from '../../http/fast-serializer.js';
import { systemSettings } from '../../db/settings.js';

async function databaseAnswers(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch {
    return false;
  }
}

export const healthRoutes: FastifyPluginAsyncZod = async (app) => {
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
        summary: 'Liveness: is the process up and can it reach PostgreSQL?',
        response: { 200: healthResponseSchema, 503: healthResponseSchema },
      },
    },
    async (_request, reply) => {
      const healthy = await databaseAnswers(() =>
        app.pool.query({ name: 'health', text: 'SELECT 1' }),
      );
      return reply.code(healthy ? 200 : 503).send({
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
        summary: 'Readiness: migrated database and not shutting down; route traffic here.',
        response: { 200: readyResponseSchema, 503: readyResponseSchema },
      },
    },
    async (_request, reply) => {
      // Reading a migrated table proves both the connection and the schema.
      const migrated = await databaseAnswers(() =>
        app.db.select({ key: systemSettings.key }).from(systemSettings).limit(1),
      );
      const checks = {
        database: migrated ? 'ok' : 'failing',
        shutdown: app.isShuttingDown ? 'failing' : 'ok',
      } as const;
      const ready = Object.values(checks).every((check) => check === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
    },
  );
};
