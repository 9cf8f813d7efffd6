import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { request } from 'node:http';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createUser, loginAs } from '../../test/auth.js';
import { NODE_ARGS } from '../../test/server-process.js';
import { serverRoot } from '../paths.js';

// ADMIN_ALLOWED_CIDRS over real sockets: the server listens, and each client binds its own
// source address (loopback has the whole 127.0.0.0/8), so request.ip is what the kernel says,
// exactly as in production — not a value `inject` makes up.

interface Answer {
  status: number;
  body: string;
  json: () => { error: { code: string; message: string; requestId: string } };
}

function call(
  port: number,
  path: string,
  options: { from?: string; to?: string; method?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: options.to ?? '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        localAddress: options.from ?? '127.0.0.1',
        headers: options.headers ?? {},
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Operator surfaces of every kind: admin API, jobs API, OpenAPI document, docs UI. */
const OPS = [
  '/api/v1/admin/resources',
  '/api/v1/admin/later-resource',
  '/api/v1/admin/resources/audit-events',
  '/api/jobs/definitions',
  '/api/jobs/schedules',
  '/api/openapi.json',
  '/api/docs',
];

async function listening(t: TestApp, host = '127.0.0.1') {
  await t.app.listen({ host, port: 0 });
  return (t.app.server.address() as AddressInfo).port;
}

describe('ADMIN_ALLOWED_CIDRS=127.0.0.2/32 (no proxy)', () => {
  let t: TestApp;
  let port = 0;
  let admin: Record<string, string>;
  const logLines: string[] = [];

  beforeAll(async () => {
    const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
    t = await createTestApp({
      env: { ADMIN_ALLOWED_CIDRS: '127.0.0.2/32' },
      logger,
      // A route some later module adds under the admin prefix: guarded without saying so.
      routes: (app) =>
        app.get('/api/v1/admin/later-resource', { config: { access: 'admin' } }, async () => ({
          ok: true,
        })),
    });
    port = await listening(t);
    admin = await loginAs(t, await createUser(t, { role: 'admin' }));
  });
  afterAll(() => t.close());

  it('refuses an admin calling from 127.0.0.1 on the admin API, jobs API and docs, in the one error shape', async () => {
    for (const path of OPS) {
      const answer = await call(port, path, { headers: admin });
      expect(answer.status, path).toBe(403);
      const { error } = answer.json();
      expect(error, path).toEqual({
        code: 'forbidden',
        message: 'This endpoint is not available from your network address.',
        requestId: expect.any(String),
      });
      // Nothing of the list leaks.
      expect(answer.body).not.toContain('127.0.0.2');
    }
  });

  it('serves the same admin calling from 127.0.0.2', async () => {
    for (const path of OPS) {
      const answer = await call(port, path, { from: '127.0.0.2', headers: admin });
      expect(answer.status, path).toBe(200);
    }
    const docs = await call(port, '/api/docs', { from: '127.0.0.2' });
    expect(docs.body).toContain('swagger');
  });

  it('refuses before authentication: anonymous and write requests get 403, not 401 or a CSRF error', async () => {
    expect((await call(port, '/api/v1/admin/resources')).status).toBe(403);
    const write = await call(port, '/api/v1/admin/resources/api-keys', {
      method: 'POST',
      headers: admin,
    });
    expect(write.status).toBe(403);
    expect(write.json().error.code).toBe('forbidden');
    // From the allowed address the roles decide as always.
    expect((await call(port, '/api/v1/admin/resources', { from: '127.0.0.2' })).status).toBe(401);
    const user = await loginAs(t, await createUser(t));
    expect(
      (await call(port, '/api/jobs/definitions', { from: '127.0.0.2', headers: user })).status,
    ).toBe(403);
  });

  it('matches the route, not the spelling of the URL', async () => {
    for (const path of [
      '//api/v1/admin//resources',
      '/api/v1/admin/resources/',
      '/api/jobs/definitions?x=1',
    ]) {
      expect((await call(port, path, { headers: admin })).status, path).toBe(403);
      expect((await call(port, path, { from: '127.0.0.2', headers: admin })).status, path).toBe(
        200,
      );
    }
    const head = await call(port, '/api/openapi.json', { method: 'HEAD' });
    expect(head.status).toBe(403);
  });

  it('leaves every other route alone (health, leads, the signed-in user)', async () => {
    expect((await call(port, '/api/health')).status).toBe(200);
    expect((await call(port, '/api/v1/leads', { headers: admin })).status).toBe(200);
    expect((await call(port, '/api/v1/users/me', { headers: admin })).status).toBe(200);
  });

  it('logs each refusal with the request id, and no client address', async () => {
    const before = logLines.length;
    const answer = await call(port, '/api/v1/admin/resources', { headers: admin });
    const requestId = answer.json().error.requestId;
    const refusal = logLines
      .slice(before)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => String(entry.msg).includes('ADMIN_ALLOWED_CIDRS'));
    expect(refusal).toMatchObject({ level: 40, requestId });
    expect(logLines.slice(before).join('\n')).not.toContain('127.0.0.1');
  });
});

describe('ADMIN_ALLOWED_CIDRS behind a proxy (TRUST_PROXY=1)', () => {
  let t: TestApp;
  let port = 0;
  let admin: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp({
      env: { ADMIN_ALLOWED_CIDRS: '203.0.113.0/24, 2001:db8:ad::/48', TRUST_PROXY: '1' },
    });
    port = await listening(t);
    admin = await loginAs(t, await createUser(t, { role: 'admin' }));
  });
  afterAll(() => t.close());

  const via = (forwardedFor: string) => ({
    headers: { ...admin, 'x-forwarded-for': forwardedFor },
  });

  it('lets the forwarded client address decide, not the proxy socket', async () => {
    expect((await call(port, '/api/v1/admin/resources', via('203.0.113.9'))).status).toBe(200);
    expect((await call(port, '/api/jobs/definitions', via('198.51.100.1'))).status).toBe(403);
    // The proxy's own address (the socket) is not in the list: without the header, refused.
    expect((await call(port, '/api/v1/admin/resources', { headers: admin })).status).toBe(403);
  });

  it('takes only the address the trusted hop added, not one a client put in front of it', async () => {
    const spoofed = await call(port, '/api/v1/admin/resources', via('203.0.113.9, 198.51.100.1'));
    expect(spoofed.status).toBe(403);
  });

  it('matches IPv6 entries', async () => {
    expect((await call(port, '/api/openapi.json', via('2001:db8:ad:1::5'))).status).toBe(200);
    expect((await call(port, '/api/openapi.json', via('2001:db8:ae::5'))).status).toBe(403);
  });
});

describe('ADMIN_ALLOWED_CIDRS without TRUST_PROXY', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await createTestApp({ env: { ADMIN_ALLOWED_CIDRS: '127.0.0.2' } });
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('ignores X-Forwarded-For: a client cannot claim an allowed address', async () => {
    const forged = { headers: { 'x-forwarded-for': '127.0.0.2' } };
    expect((await call(port, '/api/openapi.json', forged)).status).toBe(403);
    expect((await call(port, '/api/openapi.json', { from: '127.0.0.2' })).status).toBe(200);
  });
});

describe('ADMIN_ALLOWED_CIDRS on a dual-stack and an IPv6 socket', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await createTestApp({ env: { ADMIN_ALLOWED_CIDRS: '127.0.0.2/32,::1/128' } });
    port = await listening(t, '::');
  });
  afterAll(() => t.close());

  it('compares an IPv4 client seen as ::ffff:127.0.0.2 as IPv4', async () => {
    expect((await call(port, '/api/openapi.json', { from: '127.0.0.2' })).status).toBe(200);
    expect((await call(port, '/api/openapi.json', { from: '127.0.0.3' })).status).toBe(403);
  });

  it('admits an IPv6 client from an IPv6 entry', async () => {
    expect((await call(port, '/api/openapi.json', { from: '::1', to: '::1' })).status).toBe(200);
  });
});

describe('ADMIN_ALLOWED_CIDRS unset', () => {
  let t: TestApp;
  let port = 0;
  beforeAll(async () => {
    t = await createTestApp();
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('restricts nothing: every address reaches the docs, roles still guard the admin API', async () => {
    for (const from of ['127.0.0.1', '127.0.0.2']) {
      expect((await call(port, '/api/openapi.json', { from })).status).toBe(200);
      expect((await call(port, '/api/v1/admin/resources', { from })).status).toBe(401);
    }
  });
});

describe('a bad ADMIN_ALLOWED_CIDRS', () => {
  it('stops the server before it listens, naming the entry', () => {
    const result = spawnSync(process.execPath, [...NODE_ARGS, 'web'], {
      cwd: serverRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: '0',
        SERVE_WEB: 'false',
        ADMIN_ALLOWED_CIDRS: '10.0.0.0/8,10.0.0.300/32',
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'ADMIN_ALLOWED_CIDRS: "10.0.0.300/32" is not an IP address or CIDR range',
    );
    expect(result.stdout + result.stderr).not.toMatch(/listening/i);
  });
});
