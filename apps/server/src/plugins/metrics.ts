import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { HttpError } from '../http/errors.js';
import { jobsOverview } from '../modules/jobs/dashboard.js';

export interface MetricsOptions {
  /** Bearer token Prometheus must send. Unset: no /metrics route at all (404). */
  token: string | undefined;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/**
 * Constant-time comparison: hashing first gives both sides the same length, so neither the
 * content nor the length of the token leaks through timing.
 */
export function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(sha256(presented), sha256(token));
}

/** The route template (`/api/leads/:id`), never the raw URL: one series per route, not per id. */
function routeLabel(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/**
 * Prometheus metrics for this process: HTTP latency and status counts per route, the PostgreSQL
 * pool, job counts by queue and state, and Node's process metrics. Each app instance has its own
 * registry, so tests can build many apps in one process.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: MetricsOptions) => {
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'bastion' });
    collectDefaultMetrics({ register: registry });

    const duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request received to response sent, by route template.',
      labelNames: ['method', 'route', 'status_code'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    // The histogram counts every response already: this counter is filled from its `_count`
    // series when scraped, so a request pays for one observation, not two.
    new Counter({
      name: 'http_requests_total',
      help: 'Responses sent, by route template and status code.',
      labelNames: ['method', 'route', 'status_code'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const sample of (await duration.get()).values) {
          if (sample.metricName === 'http_request_duration_seconds_count') {
            this.inc(sample.labels, sample.value);
          }
        }
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool of this process: total, idle, and requests waiting for one.',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, app.pool.totalCount);
        this.set({ state: 'idle' }, app.pool.idleCount);
        this.set({ state: 'waiting' }, app.pool.waitingCount);
      },
    });
    new Gauge({
      name: 'db_pool_max_connections',
      help: 'Configured maximum of the PostgreSQL pool (DATABASE_POOL_MAX).',
      registers: [registry],
      collect() {
        this.set(app.config.databasePoolMax);
      },
    });
    new Gauge({
      name: 'jobs',
      help: 'Jobs in the queue table, by queue and state (the same numbers in every process).',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        // Before the first worker ever started there is no pgboss schema: report nothing.
        const overview = await jobsOverview(app.db).catch(() => undefined);
        for (const queue of overview?.queues ?? []) {
          for (const [state, count] of Object.entries(queue.counts)) {
            this.set({ queue: queue.name, state }, count);
          }
        }
      },
    });

    app.addHook('onResponse', (request, reply, done) => {
      const labels = {
        method: request.method,
        route: routeLabel(request),
        status_code: String(reply.statusCode),
      };
      duration.observe(labels, reply.elapsedTime / 1000);
      done();
    });

    const { token } = options;
    if (!token) return;

    async function scrape(request: FastifyRequest, reply: FastifyReply) {
      if (!tokenMatches(request.headers.authorization, token!)) {
        reply.header('www-authenticate', 'Bearer realm="metrics"');
        throw new HttpError(401, 'unauthorized', 'A valid metrics token is required.');
      }
      const text = await registry.metrics();
      // A string with a non-JSON content type is sent as it is, not JSON-serialized.
      return reply.type(registry.contentType).send(text);
    }

    // The session/API-token hook (plugins/auth.ts) reads every `Authorization: Bearer` header as
    // an API token and refuses unknown ones. This hook is registered before it and answers the
    // scrape itself, so the metrics token never reaches the API-token lookup.
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.url === '/metrics' && request.method === 'GET') {
        return scrape(request, reply);
      }
    });

    app.get(
      '/metrics',
      {
        // `public` for the app's access check: Prometheus has no session. The route is not open,
        // though: it exists only when METRICS_TOKEN is set and answers only to that bearer token
        // (checked in `scrape`, constant-time).
        config: { access: 'public' },
        logLevel: 'warn',
        schema: {
          hide: true,
          response: { 200: z.string().describe('Prometheus text exposition format') },
        },
      },
      scrape,
    );
  },
  { name: 'metrics', dependencies: ['context'] },
);
