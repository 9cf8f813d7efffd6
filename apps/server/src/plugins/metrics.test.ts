import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { noopJob } from '../modules/jobs/system-jobs.js';
import { tokenMatches } from './metrics.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of the first sample of `name` carrying every label given (label order is free). */
function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const line = text
    .split('\n')
    .find(
      (candidate) =>
        candidate.startsWith(`${name}{`) &&
        Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => t.close());

  const scrape = () =>
    t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });

  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    const missing = await t.app.inject({ url: '/metrics' });
    expect(missing.statusCode).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const wrong = await t.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).not.toContain('http_requests_total');
  });

  it('reports request latency and status counts per route template', async () => {
    await t.app.inject({ url: '/api/health' });
    await t.app.inject({ url: '/api/no-such-thing' });
    const response = await scrape();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    const health = { method: 'GET', route: '/api/health', status_code: '200' };
    expect(sample(text, 'http_request_duration_seconds_bucket', { ...health, le: '10' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', health)).toBe(1);
    expect(sample(text, 'http_requests_total', health)).toBe(1);
    expect(sample(text, 'http_requests_total', { route: 'unmatched', status_code: '404' })).toBe(1);
    // The refused scrapes above count too: probing is visible.
    expect(sample(text, 'http_requests_total', { route: '/metrics', status_code: '401' })).toBe(2);
  });

  it('reports the database pool and the process', async () => {
    const text = (await scrape()).body;
    expect(sample(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sample(text, 'db_pool_max_connections')).toBe(10);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('reports jobs by queue and state', async () => {
    await t.app.jobs.enqueue(noopJob, {});
    await t.app.jobs.enqueue(noopJob, {});
    const text = (await scrape()).body;
    // No worker runs in this test, so both wait in `created`.
    expect(sample(text, 'jobs', { queue: 'default', state: 'created' })).toBe(2);
    expect(sample(text, 'jobs', { queue: 'default', state: 'failed' })).toBe(0);
  });

  it('is not part of the public API description', async () => {
    const document = (await t.app.inject({ url: '/api/openapi.json' })).json<{
      paths: Record<string, unknown>;
    }>();
    expect(Object.keys(document.paths)).not.toContain('/metrics');
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('does not exist, so nothing is exposed by default', async () => {
    const t = await createTestApp();
    try {
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await t.close();
    }
  });
});

describe('tokenMatches', () => {
  it('accepts exactly the configured token, as a Bearer credential', () => {
    expect(tokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(tokenMatches(`bearer ${TOKEN}`, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(false);
    expect(tokenMatches(`Bearer ${TOKEN.slice(0, -1)}`, TOKEN)).toBe(false);
    expect(tokenMatches(undefined, TOKEN)).toBe(false);
    expect(tokenMatches('Bearer ', TOKEN)).toBe(false);
  });
});
