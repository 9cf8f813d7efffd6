import type {
  FastifyRateLimitOptions,
  FastifyRateLimitStore,
  FastifyRateLimitStoreCtor,
} from '@fastify/rate-limit';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { LimitOutage } from './limits-redis.js';

// @fastify/rate-limit's own two stores, which it ships without type declarations.
const require = createRequire(import.meta.url);
const RedisStore = require('@fastify/rate-limit/store/RedisStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  redis: Redis,
  key: string,
) => FastifyRateLimitStore;
const LocalStore = require('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
) => FastifyRateLimitStore;

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];

/** @fastify/rate-limit's two stores: one answers, or the other when Redis cannot. */
class FallbackStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: FastifyRateLimitStore,
    private readonly local: FastifyRateLimitStore,
    private readonly outage: LimitOutage,
  ) {}

  incr(key: string, callback: Callback, timeWindow: number, max: number): void {
    this.shared.incr(
      key,
      (error, result) => {
        if (error) {
          this.outage.failed(error);
          this.local.incr(key, callback, timeWindow, max);
          return;
        }
        this.outage.recovered();
        callback(null, result);
      },
      timeWindow,
      max,
    );
  }

  child(routeOptions: RouteOptions): FastifyRateLimitStore {
    return new FallbackStore(
      this.shared.child(routeOptions),
      this.local.child(routeOptions),
      this.outage,
    );
  }
}

/**
 * The `store` option of @fastify/rate-limit for the limits' policy (http/limits-redis.ts):
 * counters in Redis under `nameSpace`, in this process while Redis is down.
 */
export function redisWithLocalFallback(
  redis: Redis,
  nameSpace: string,
  outage: LimitOutage,
): FastifyRateLimitStoreCtor {
  return class {
    constructor(
      options: FastifyRateLimitOptions & {
        continueExceeding?: boolean;
        exponentialBackoff?: boolean;
      },
    ) {
      const { continueExceeding = false, exponentialBackoff = false } = options;
      return new FallbackStore(
        new RedisStore(continueExceeding, exponentialBackoff, redis, nameSpace),
        new LocalStore(continueExceeding, exponentialBackoff),
        outage,
      );
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
