import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * CORS for the origins listed in ALLOWED_ORIGINS only (exact match, credentials allowed); with
 * none configured, no CORS headers are sent at all and browsers keep the API same-origin.
 */
export const corsPlugin = fp(
  async (app: FastifyInstance) => {
    const origins = app.config.allowedOrigins.map((origin) => new URL(origin).origin);
    if (origins.length === 0) return;
    // The preflight route @fastify/cors adds answers anyone (it only describes the policy).
    app.addHook('onRoute', (route) => {
      if (route.method === 'OPTIONS' && !route.config?.access) {
        route.config = { ...route.config, access: 'public' };
      }
    });
    await app.register(cors, {
      origin: origins,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-CSRF-Token', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After'],
      maxAge: 600,
    });
  },
  { name: 'cors', dependencies: ['context'] },
);
