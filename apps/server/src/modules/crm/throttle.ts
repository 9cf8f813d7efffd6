import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { LimitOutage } from '../../http/limits-redis.js';

/**
 * A fixed-window counter: "at most `max` hits per `windowMs` for this key". In memory for one
 * process, or in Redis (INCR + PEXPIRE, atomic per key) when replicas must share the budget.
 * Small on purpose: the public lead form needs two independent budgets on one route (per client
 * IP and per API key), which the route-level options of @fastify/rate-limit cannot express.
 */
export interface Throttle {
  /** Counts a hit; returns the seconds to wait when over the limit, else 0. */
  hit(key: string, max: number, windowMs: number): Promise<number>;
  close(): Promise<void>;
}

export function memoryThrottle(): Throttle {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweeps = 0;
  return {
    async hit(key, max, windowMs) {
      const now = Date.now();
      // Forget expired windows now and then so the map does not grow without bound.
      if (++sweeps % 1000 === 0) {
        for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= now) {
        window = { count: 0, resetAt: now + windowMs };
        windows.set(key, window);
      }
      window.count += 1;
      return window.count > max ? Math.max(1, Math.ceil((window.resetAt - now) / 1000)) : 0;
    },
    async close() {
      windows.clear();
    },
  };
}

/**
 * Counters in Redis, shared by every replica. While Redis cannot answer, counting goes on in
 * this process (`outage`: the policy of every limit, http/limits-redis.ts) instead of failing
 * the request.
 */
export function redisThrottle(
  redis: Redis,
  prefix = 'bastion:crm:throttle:',
  outage?: LimitOutage,
): Throttle {
  const fallback = memoryThrottle();
  return {
    async hit(key, max, windowMs) {
      const name = prefix + key;
      let count: number;
      let ttl: number;
      try {
        // One transaction: the window starts with its expiry (SET NX PX), so a key can never
        // be left without one; PTTL is what is left of the window, whenever in it we are.
        const replies = await redis
          .multi()
          .set(name, 0, 'PX', windowMs, 'NX')
          .incr(name)
          .pttl(name)
          .exec();
        if (!replies || replies.some(([error]) => error)) {
          throw replies?.find(([error]) => error)?.[0] ?? new Error('Redis transaction aborted');
        }
        count = Number(replies[1]![1]);
        ttl = Number(replies[2]![1]);
      } catch (error) {
        if (!outage) throw error;
        outage.failed(error);
        return fallback.hit(key, max, windowMs);
      }
      outage?.recovered();
      return count > max ? Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000)) : 0;
    },
    async close() {
      await fallback.close();
      redis.disconnect();
    },
  };
}

export interface ApiKeyThrottle {
  throttle: Throttle;
  perIp: number;
  perKey: number;
  windowMs: number;
}

/**
 * A preHandler for public endpoints called with an API key (the website's forms): each client
 * IP and each key get their own budget; staff sessions and personal tokens pass untouched.
 */
export function throttleApiKeyClients(
  options: ApiKeyThrottle,
  what: string,
  principalOf: (request: FastifyRequest) => { apiKeyId: string | null },
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { apiKeyId } = principalOf(request);
    if (!apiKeyId) return;
    const { throttle, perIp, perKey, windowMs } = options;
    // The per-IP budget first: a visitor over it does not use up the whole site's key.
    const wait =
      (await throttle.hit(`${what}:ip:${request.ip}`, perIp, windowMs)) ||
      (await throttle.hit(`${what}:key:${apiKeyId}`, perKey, windowMs));
    if (wait > 0) {
      const message = 'Too many requests from this client; try again later.';
      return reply
        .code(429)
        .header('retry-after', String(wait))
        .send({ error: { code: 'rate_limited', message, requestId: String(request.id) } });
    }
  };
}
