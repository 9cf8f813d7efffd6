import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/**
 * The one policy of every Redis-backed limit (the global per-IP limit, the public lead/newsletter
 * throttle): while Redis cannot answer, counting goes on in this process's memory — each replica
 * enforces the budget on its own, so the shared limit is at most multiplied by the number of
 * replicas — and requests are never refused or failed because of Redis. One warning when the
 * outage starts, one line when Redis answers again. Why fail open: docs/security.md#rate-limits.
 */
export interface LimitOutage {
  /** A Redis call failed; counting falls back to memory. */
  failed(error: unknown): void;
  /** A Redis call succeeded. */
  recovered(): void;
  readonly active: boolean;
}

export function limitOutage(log: FastifyBaseLogger, limiter: string): LimitOutage {
  let active = false;
  return {
    failed(error) {
      if (active) return;
      active = true;
      log.warn(
        { err: error, limiter },
        'Redis unavailable: rate limits fall back to per-process counters',
      );
    },
    recovered() {
      if (!active) return;
      active = false;
      log.info({ limiter }, 'Redis answers again: rate limits are shared again');
    },
    get active() {
      return active;
    },
  };
}

/**
 * A Redis connection for limits. Commands fail at once while it is disconnected (no offline
 * queue, one retry, a short command timeout), so an outage adds no latency to requests; the
 * connection keeps reconnecting in the background. Connection errors go to `outage` rather than
 * to a log line per reconnection attempt.
 */
export function connectLimitsRedis(url: string, outage: LimitOutage): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  redis.on('error', (error: unknown) => outage.failed(error));
  redis.on('ready', () => outage.recovered());
  return redis;
}
