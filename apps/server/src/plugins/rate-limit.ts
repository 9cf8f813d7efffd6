import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpError } from '../http/errors.js';
import { connectLimitsRedis, limitOutage } from '../http/limits-redis.js';
import { redisWithLocalFallback } from '../http/rate-limit-store.js';

/**
 * @fastify/rate-limit on every route, per client IP: `RATE_LIMIT_PER_MINUTE` by default, and a
 * route's own `config.rateLimit` where it is stricter (login, signup, reset, lead creation).
 * With REDIS_URL the counters live in Redis, so every replica shares them; otherwise in memory,
 * and in memory too while Redis is down (the policy of every limit: http/limits-redis.ts).
 * Over the limit: 429 in the standard error shape, with Retry-After = what is left of the window.
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance) => {
    const outage = limitOutage(app.log, 'rate limit');
    const redis = app.config.redisUrl ? connectLimitsRedis(app.config.redisUrl, outage) : undefined;
    if (redis) {
      app.addHook('onClose', async () => {
        redis.disconnect();
      });
    }
    await app.register(rateLimit, {
      // 0 turns the general limit off (benchmarks); routes' own config.rateLimit still apply.
      global: app.config.rateLimitPerMinute > 0,
      max: app.config.rateLimitPerMinute || 1,
      timeWindow: 60_000,
      ...(redis
        ? {
            store: redisWithLocalFallback(redis, `${app.config.redisKeyPrefix}rate-limit:`, outage),
          }
        : {}),
      // The store never fails (it falls back to memory); should it ever, requests still pass.
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
