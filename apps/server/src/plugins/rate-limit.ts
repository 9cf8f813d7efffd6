import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import { HttpError } from '../http/errors.js';

/**
 * @fastify/rate-limit on every route, per client IP: `RATE_LIMIT_PER_MINUTE` by default, and a
 * route's own `config.rateLimit` where it is stricter (login, signup, reset, lead creation).
 * With REDIS_URL the counters live in Redis, so every replica shares them; otherwise in memory.
 * Over the limit: 429 in the standard error shape, with Retry-After (see plugins/errors.ts).
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance) => {
    let redis: Redis | undefined;
    if (app.config.redisUrl) {
      redis = new Redis(app.config.redisUrl, {
        // Fail fast rather than queue requests while Redis is away; see skipOnError below.
        maxRetriesPerRequest: 1,
        connectTimeout: 2000,
        enableOfflineQueue: false,
        lazyConnect: false,
      });
      redis.on('error', (error) => app.log.warn({ err: error.message }, 'redis (rate limit)'));
      app.addHook('onClose', async () => {
        redis?.disconnect();
      });
    }
    await app.register(rateLimit, {
      // 0 turns the general limit off (benchmarks); routes' own config.rateLimit still apply.
      global: app.config.rateLimitPerMinute > 0,
      max: app.config.rateLimitPerMinute || 1,
      timeWindow: 60_000,
      ...(redis ? { redis, nameSpace: `${app.config.redisKeyPrefix}rate-limit:` } : {}),
      // A Redis outage must not take the API down with it: requests pass unlimited meanwhile.
      skipOnError: true,
      // The default key is the client IP (IPv6 grouped by /64, so one host cannot rotate).
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          context.statusCode,
          'rate_limited',
          `Too many requests; retry in ${context.after}.`,
        ),
      addHeadersOnExceeding: {
        'x-ratelimit-limit': true,
        'x-ratelimit-remaining': true,
        'x-ratelimit-reset': true,
      },
    });
  },
  { name: 'rate-limit', dependencies: ['context'] },
);
