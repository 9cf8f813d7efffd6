import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfSignedLocalhost } from './support/tls.js';
import { createTestDatabase, testConfig, type TestApp } from '../apps/server/test/app.js';
import { createUser, loginAs } from '../apps/server/test/auth.js';
import { freePort } from '../apps/server/test/global-setup.js';

// deploy/nginx/bastion.conf, run by Debian's nginx in front of two real API processes started
// from source. Only the host-specific values are rewritten (ports on 127.0.0.1, certificate and
// web-root paths); everything under test is the shipped file.
const root = resolve(import.meta.dirname, '..');
const serverRoot = join(root, 'apps/server');
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((path) => existsSync(path));
// The operator surfaces answer 127.0.0.2 only, at the edge and in the API processes behind it;
// loopback has the whole 127.0.0.0/8, so a client binding 127.0.0.2 is a second address.
const ADMIN_ALLOWED_CIDRS = '127.0.0.2/32';
const OUTSIDE = '127.0.0.1';
const INSIDE = '127.0.0.2';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

type Api = ChildProcess & { output: () => string; port: number };

function startApi(port: number, databaseUrl: string): Api {
  // tsx loaded into the node process itself (not a wrapper), so a SIGKILL hits the server.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/main.ts', 'web'],
    {
      cwd: serverRoot,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        SERVE_WEB: 'false',
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        TRUST_PROXY: '1',
        ADMIN_ALLOWED_CIDRS,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output, port });
}

async function waitForHealth(api: Api) {
  for (let attempt = 0; attempt < 900; attempt++) {
    if (api.exitCode !== null) throw new Error(`API exited early:\n${api.output()}`);
    const ok = await fetch(`http://127.0.0.1:${api.port}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await delay(100);
  }
  throw new Error(`API never became healthy:\n${api.output()}`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => child.once('exit', () => done()));
}

describe('the nginx edge (deploy/nginx/bastion.conf)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-nginx-'));
  // nginx's workers run as an unprivileged user (nobody) and must reach the web root.
  chmodSync(dir, 0o755);
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let apis: Api[] = [];
  let nginx: ChildProcess | undefined;
  let httpPort = 0;
  let httpsPort = 0;
  let ca = Buffer.alloc(0);
  let admin: Record<string, string> = {};
  const asset = `console.log(${JSON.stringify('bastion '.repeat(400))});\n`;
  // Level 9 (as the build writes it), unlike nginx's own level 5: tells the two apart.
  const precompressed = gzipSync(asset, { level: 9 });

  const get = (path: string, headers: Record<string, string> = {}, from = OUTSIDE) =>
    send('GET', path, undefined, headers, from);

  function send(
    method: string,
    path: string,
    body?: string,
    headers: Record<string, string> = {},
    from = OUTSIDE,
  ): Promise<Reply> {
    return new Promise((done, fail) => {
      const req = request(
        {
          method,
          host: '127.0.0.1',
          localAddress: from,
          port: httpsPort,
          path,
          headers: {
            host: 'localhost',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          servername: 'localhost',
          ca,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            done({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  }

  beforeAll(async () => {
    // Like Chromium for the browser tests: a missing tool fails the run with the fix, never skips.
    if (!NGINX) throw new Error('nginx is not installed: apt-get install -y nginx-light');
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    const apiPorts = [await freePort(), await freePort()];

    // A self-signed certificate for localhost, trusted by this test's client only.
    ca = Buffer.from(selfSignedLocalhost(dir, 1));

    // A built asset to serve; large enough to be gzipped.
    mkdirSync(join(dir, 'web/assets'), { recursive: true });
    writeFileSync(join(dir, 'web/assets/app-3f9c2a.js'), asset);
    // One the build precompressed, as apps/web/build/precompress.ts does.
    writeFileSync(join(dir, 'web/assets/pre-8d1e4b.js'), asset);
    writeFileSync(join(dir, 'web/assets/pre-8d1e4b.js.gz'), precompressed);

    const shipped = readFileSync(join(root, 'deploy/nginx/bastion.conf'), 'utf8');
    const site = shipped
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace(/^\s*listen \[::\]:.*$/gm, '')
      .replace(/server_name bastion\.example\.com;/g, 'server_name localhost;')
      .replace('server 127.0.0.1:8001', `server 127.0.0.1:${apiPorts[0]}`)
      .replace('server 127.0.0.1:8002', `server 127.0.0.1:${apiPorts[1]}`)
      .replace('/etc/ssl/bastion/', `${dir}/`)
      .replace('/etc/ssl/bastion/', `${dir}/`)
      .replace('/srv/bastion/web', join(dir, 'web'))
      .replace('/var/log/nginx/bastion.access.log', join(dir, 'access.log'))
      .replaceAll('/etc/nginx/bastion-ops-allowlist.conf', join(dir, 'ops-allowlist.conf'));
    expect(site).not.toMatch(
      /:8001|:8002|\/etc\/ssl|\/srv\/bastion|listen 80;|listen 443 |bastion-ops-allowlist/,
    );
    // The include, written as the file's header says: by the app's CLI, from the variable.
    const written = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        'src/cli/main.ts',
        'edge:nginx-allowlist',
        '--out',
        join(dir, 'ops-allowlist.conf'),
      ],
      {
        cwd: serverRoot,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ADMIN_ALLOWED_CIDRS },
        encoding: 'utf8',
      },
    );
    if (written.status !== 0) throw new Error(`edge:nginx-allowlist failed:\n${written.stderr}`);
    expect(readFileSync(join(dir, 'ops-allowlist.conf'), 'utf8')).toContain(
      'allow 127.0.0.2/32;\ndeny all;',
    );
    writeFileSync(join(dir, 'bastion.conf'), site);
    // The main file a distribution ships, cut down to what a test needs: no root-owned paths.
    writeFileSync(
      join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${dir}/nginx.pid;`,
        `error_log ${dir}/error.log warn;`,
        'events { worker_connections 256; }',
        'http {',
        '  include /etc/nginx/mime.types;',
        '  default_type application/octet-stream;',
        `  access_log ${dir}/access.log;`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${dir}/${kind}_temp;`,
        ),
        `  include ${dir}/bastion.conf;`,
        '}',
      ].join('\n'),
    );

    database = await createTestDatabase();
    apis = apiPorts.map((port) => startApi(port, database.url));
    await Promise.all(apis.map(waitForHealth));
    // A signed-in admin of the API processes (same database, same test secret): the helpers
    // need only the app's database and configuration.
    const processes = { app: { db: database.db, config: testConfig() } } as unknown as Pick<
      TestApp,
      'app'
    >;
    admin = await loginAs(processes, await createUser(processes, { role: 'admin' }));

    const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
      encoding: 'utf8',
    });
    if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
    nginx = spawn(NGINX!, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    // nginx is up once it answers through TLS (expect.poll is for tests, not hooks).
    for (let attempt = 0; ; attempt++) {
      const status = await get('/api/health').then(
        (reply) => reply.status,
        () => 0,
      );
      if (status === 200) break;
      if (attempt > 100)
        throw new Error(`nginx never answered: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await delay(100);
    }
  }, 150_000);

  afterAll(async () => {
    // QUIT = graceful stop of the master and its workers.
    nginx?.kill('SIGQUIT');
    for (const api of apis) api.kill('SIGTERM');
    await Promise.all([...apis, ...(nginx ? [nginx] : [])].map(exited));
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('redirects plain HTTP to HTTPS, keeping the path', async () => {
    const reply = await new Promise<Reply>((done, fail) => {
      httpRequest(
        {
          host: '127.0.0.1',
          port: httpPort,
          path: '/leads?page=2',
          headers: { host: 'localhost' },
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) }),
          );
        },
      )
        .on('error', fail)
        .end();
    });
    expect(reply.status).toBe(301);
    expect(reply.headers.location).toBe('https://localhost/leads?page=2');
  });

  it('sends each security header exactly once over TLS, with the app CSP, and no version', async () => {
    const reply = await get('/api/health');
    expect(reply.status).toBe(200);
    expect(reply.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.headers.server).toBe('nginx');
    expect(reply.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('serves built assets itself, gzipped and cached for a year, with the same headers', async () => {
    const reply = await get('/assets/app-3f9c2a.js', { 'accept-encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.headers['cache-control']).toBe('max-age=31536000');
    expect(reply.headers['x-frame-options']).toBe('DENY');
    expect(reply.body.length).toBeLessThan(asset.length / 4);
  });

  it("sends the build's own .gz for an asset that has one (gzip_static)", async () => {
    const reply = await get('/assets/pre-8d1e4b.js', { 'accept-encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-encoding']).toBe('gzip');
    // Byte for byte the file on disk, with its length known up front (not compressed on the fly).
    expect(Number(reply.headers['content-length'])).toBe(precompressed.length);
    expect(reply.body.equals(precompressed)).toBe(true);
  });

  it('hides /metrics from the public edge', async () => {
    expect((await get('/metrics')).status).toBe(404);
  });

  it('balances requests across both API processes', async () => {
    // nginx gives each request an id that the app adopts and logs; the logs show who served it.
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const reply = await get('/api/openapi.json', {}, INSIDE);
      expect(reply.status).toBe(200);
      ids.push(String(reply.headers['x-request-id']));
    }
    await expect
      .poll(() => apis.map((api) => ids.filter((id) => api.output().includes(id)).length))
      .toEqual([3, 3]);
  });

  it('answers 429 once a client exceeds the sign-in budget, while the rest of the API still answers', async () => {
    const attempt = () => send('POST', '/api/v1/auth/login', '{}');
    const statuses: number[] = [];
    for (let i = 0; i < 12 && !statuses.includes(429); i++) statuses.push((await attempt()).status);
    expect(statuses).toContain(429);
    expect(statuses.indexOf(429)).toBeGreaterThanOrEqual(5); // the burst passes first
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(limited.headers['strict-transport-security']).toBeTruthy();
    // Reading the sign-in state is not an attempt, and other routes have their own budget.
    expect((await get('/api/v1/auth/state')).status).not.toBe(429);
    expect((await get('/api/health')).status).toBe(200);
  });

  it('refuses the operator surfaces to a client outside ADMIN_ALLOWED_CIDRS at the edge, in the one error shape', async () => {
    const paths = [
      '/api/v1/admin/resources',
      '/api/v1/admin/future-resource',
      '/api/jobs/definitions',
      '/api/jobs',
      '/api/docs',
      '/api/docs/static/index.html',
      '/api/openapi.json',
      // nginx matches the normalised path, as the app's router does.
      '//api/v1//admin/resources',
      '/api/v1/%61dmin/resources',
      '/api/x/../v1/admin/resources',
    ];
    for (const path of paths) {
      const reply = await get(path, admin);
      expect(reply.status, path).toBe(403);
      expect(reply.headers['content-type'], path).toBe('application/json');
      const { error } = JSON.parse(reply.body.toString()) as {
        error: { code: string; message: string; requestId: string };
      };
      expect(error.code).toBe('forbidden');
      expect(error.message).toBe('This endpoint is not available from your network address.');
      expect(reply.body.toString()).not.toContain(INSIDE);
      // The edge's headers are on its own answers too.
      expect(reply.headers['strict-transport-security'], path).toBeTruthy();
      // Refused at the edge: no API process ever saw the request.
      expect(error.requestId).toMatch(/^[0-9a-f]{32}$/);
      expect(
        apis.some((api) => api.output().includes(error.requestId)),
        path,
      ).toBe(false);
    }
  });

  it('lets an admin inside ADMIN_ALLOWED_CIDRS through to the app, which finds the same address forwarded', async () => {
    for (const path of ['/api/v1/admin/resources', '/api/jobs/definitions', '/api/openapi.json']) {
      expect((await get(path, admin, INSIDE)).status, path).toBe(200);
    }
    const docs = await get('/api/docs', {}, INSIDE);
    expect(docs.status).toBe(200);
    expect(docs.body.toString()).toContain('swagger');
    // Inside the list, roles still decide: anonymous gets the app's 401.
    expect((await get('/api/v1/admin/resources', {}, INSIDE)).status).toBe(401);
  });

  it('leaves every other route open to any address', async () => {
    expect((await get('/api/health')).status).toBe(200);
    expect((await get('/api/v1/leads', admin)).status).toBe(200);
    expect((await get('/api/v1/auth/state')).status).toBe(200);
  });

  it('keeps answering when one API process is killed', async () => {
    const [victim, survivor] = apis as [Api, Api];
    victim.kill('SIGKILL');
    await exited(victim);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get('/api/health')).status);
    expect(statuses).toEqual(Array(8).fill(200));
    expect(survivor.exitCode).toBeNull();
  });
});
