import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { HttpError } from '../../http/errors.js';
import type { LimitOutage } from '../../http/limits-redis.js';

/**
 * A fixed-window counter: "at most `max` hits per `windowMs` for this key". In memory for one
 * process, or in Redis (one Lua script per take, atomic per key) when replicas must share it.
 * Small on purpose: the public lead form needs two independent budgets on one route (per client
 * IP and per API key), which the route-level options of @fastify/rate-limit cannot express.
 */
export interface Throttle {
  /**
   * Takes `cost` hits (one lead each) if they all fit in the window's `max`, and returns 0;
   * otherwise takes nothing and returns the seconds until the window resets.
   */
  hit(key: string, max: number, windowMs: number, cost?: number): Promise<number>;
  /** Gives back hits taken by hit(), when a later budget refused the same request. */
  refund(key: string, cost: number): Promise<void>;
  close(): Promise<void>;
}

export function memoryThrottle(): Throttle {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let sweeps = 0;
  return {
    async hit(key, max, windowMs, cost = 1) {
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
      if (window.count + cost > max) return Math.max(1, Math.ceil((window.resetAt - now) / 1000));
      window.count += cost;
      return 0;
    },
    async refund(key, cost) {
      const window = windows.get(key);
      if (window && window.resetAt > Date.now()) window.count = Math.max(0, window.count - cost);
    },
    async close() {
      windows.clear();
    },
  };
}

// One script, so that checking the budget and taking from it are atomic across replicas.
// Returns 0 when taken, else the milliseconds left in the window.
const TAKE_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
local cost, max, window = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if count + cost > max then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl <= 0 then ttl = window end
  return ttl
end
redis.call('INCRBY', KEYS[1], cost)
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], window) end
return 0`;
const REFUND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 0`;

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
  async function inRedis<T>(run: () => Promise<T>, otherwise: () => Promise<T>): Promise<T> {
    let result: T;
    try {
      result = await run();
    } catch (error) {
      if (!outage) throw error;
      outage.failed(error);
      return otherwise();
    }
    outage?.recovered();
    return result;
  }
  return {
    async hit(key, max, windowMs, cost = 1) {
      return inRedis(
        async () => {
          const waitMs = Number(
            await redis.eval(TAKE_SCRIPT, 1, prefix + key, cost, max, windowMs),
          );
          return waitMs > 0 ? Math.ceil(waitMs / 1000) : 0;
        },
        () => fallback.hit(key, max, windowMs, cost),
      );
    },
    async refund(key, cost) {
      await inRedis(
        async () => {
          await redis.eval(REFUND_SCRIPT, 1, prefix + key, cost);
        },
        () => fallback.refund(key, cost),
      );
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

export interface Budget {
  key: string;
  max: number;
}

/**
 * Takes `cost` from every budget, or from none: when one refuses, the ones already taken are
 * given back. Returns the seconds to wait (the refusing budget's), else 0.
 */
export async function takeFromBudgets(
  throttle: Throttle,
  budgets: Budget[],
  windowMs: number,
  cost = 1,
): Promise<number> {
  const taken: Budget[] = [];
  for (const budget of budgets) {
    const wait = await throttle.hit(budget.key, budget.max, windowMs, cost);
    if (wait > 0) {
      await Promise.all(taken.map((done) => throttle.refund(done.key, cost)));
      return wait;
    }
    taken.push(budget);
  }
  return 0;
}

/**
 * An API-key caller's budgets for `what`: one per client IP and one per key. The per-IP budget
 * comes first, so a visitor over it does not use up the whole site's key. CSV imports of leads
 * spend the same `leads` budgets as single creates, one per row.
 */
export function apiKeyBudgets(
  options: ApiKeyThrottle,
  what: string,
  ip: string,
  apiKeyId: string,
): Budget[] {
  return [
    { key: `${what}:ip:${ip}`, max: options.perIp },
    { key: `${what}:key:${apiKeyId}`, max: options.perKey },
  ];
}

/** A 429 in the one error shape, with Retry-After: set the header, throw the error. */
export function rateLimited(reply: FastifyReply, waitSeconds: number, message: string) {
  void reply.header('retry-after', String(waitSeconds));
  return new HttpError(429, 'rate_limited', message);
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
    const budgets = apiKeyBudgets(options, what, request.ip, apiKeyId);
    const wait = await takeFromBudgets(options.throttle, budgets, options.windowMs);
    if (wait > 0) {
      throw rateLimited(reply, wait, 'Too many requests from this client; try again later.');
    }
  };
}
