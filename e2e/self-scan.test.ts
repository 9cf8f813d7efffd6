import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCidrs } from '../apps/server/src/egress/index.js';
import { nginxAllowlist } from '../apps/server/src/modules/ops/edge-allowlist.js';
import { scanUrl, toObservatoryJson } from '../apps/server/src/modules/scans/engine/scan.js';
import { resolverFor } from '../apps/server/src/modules/scans/engine/test-support.js';
import { freePort } from '../apps/server/test/global-setup.js';
import { selfSignedLocalhost } from './support/tls.js';
import { startServer, type RunningServer } from './support/server.js';

// Bastion scans itself: the app in production mode (built SPA, real database) behind the shipped
// nginx edge (deploy/nginx/bastion.conf: TLS with a self-signed certificate, HTTP→HTTPS, the
// edge's headers), loopback allowed by configuration as SCAN_ALLOW_CIDRS would. It must get A+
// from its own scanner. Only host-specific values of the nginx file are rewritten (ports,
// paths, server name); the redirect gains the test's https port, which a real edge on 443 omits.

const root = resolve(import.meta.dirname, '..');
const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((path) => existsSync(path));

describe('self-scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-self-scan-'));
  chmodSync(dir, 0o755);
  let server: RunningServer | undefined;
  let nginx: ChildProcess | undefined;
  let httpPort = 0;
  let httpsPort = 0;
  let certificate = '';

  beforeAll(async () => {
    if (!NGINX) throw new Error('nginx is not installed: apt-get install -y nginx-light');
    [httpPort, httpsPort] = [await freePort(), await freePort()];
    server = await startServer({
      env: {
        NODE_ENV: 'production',
        SECRET_KEY: 'self-scan-secret-0123456789-abcdefghijklmnop',
        // Required by production's startup check; the test database replaces it.
        DATABASE_URL: 'postgres://placeholder@127.0.0.1:5432/placeholder',
        TRUST_PROXY: '1',
        PUBLIC_URL: `https://localhost:${httpsPort}`,
        LOG_LEVEL: 'silent',
      },
    });
    const apiPort = new URL(server.baseUrl).port;

    certificate = selfSignedLocalhost(dir, 30);

    const site = readFileSync(join(root, 'deploy/nginx/bastion.conf'), 'utf8')
      .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
      .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
      .replace(/^\s*listen \[::\]:.*$/gm, '')
      .replace(/server_name bastion\.example\.com;/g, 'server_name localhost;')
      .replace(
        'return 301 https://$host$request_uri;',
        `return 301 https://$host:${httpsPort}$request_uri;`,
      )
      .replace(/server 127\.0\.0\.1:8001[^;]*;/, `server 127.0.0.1:${apiPort};`)
      .replace(/^\s*server 127\.0\.0\.1:8002[^;]*;$/m, '')
      .replaceAll('/etc/ssl/bastion/', `${dir}/`)
      .replace('/srv/bastion/web', join(root, 'apps/web/dist'))
      .replace('/var/log/nginx/bastion.access.log', join(dir, 'access.log'))
      .replaceAll('/etc/nginx/bastion-ops-allowlist.conf', join(dir, 'ops-allowlist.conf'));
    expect(site).not.toMatch(/:8001|:8002|\/etc\/ssl|listen 80;|listen 443 |bastion-ops-allowlist/);
    // The operator-surface include as `edge:nginx-allowlist` writes it with the variable unset.
    writeFileSync(join(dir, 'ops-allowlist.conf'), nginxAllowlist(undefined));
    expect(site).toContain(`https://$host:${httpsPort}$request_uri`);
    writeFileSync(join(dir, 'bastion.conf'), site);
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
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(
          (kind) => `  ${kind}_temp_path ${dir}/${kind}_temp;`,
        ),
        `  include ${dir}/bastion.conf;`,
        '}',
      ].join('\n'),
    );
    const check = spawnSync(NGINX, ['-t', '-p', dir, '-c', join(dir, 'nginx.conf')], {
      encoding: 'utf8',
    });
    if (check.status !== 0) throw new Error(`nginx -t failed:\n${check.stderr}`);
    nginx = spawn(NGINX, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    for (let attempt = 0; ; attempt++) {
      const up = await fetch(`http://127.0.0.1:${httpPort}/`, { redirect: 'manual' }).then(
        (response) => response.status === 301,
        () => false,
      );
      if (up) break;
      if (attempt > 100)
        throw new Error(`nginx never answered: ${readFileSync(join(dir, 'error.log'), 'utf8')}`);
      await delay(100);
    }
  }, 120_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((done) => nginx!.once('exit', done));
      nginx.kill('SIGQUIT');
      await exited;
    }
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('gets A+ from its own scanner', async () => {
    const { report, site } = await scanUrl(`https://localhost:${httpsPort}/`, {
      policy: { allowCidrs: parseCidrs(['127.0.0.0/8']), allowedPorts: 'any' },
      resolver: resolverFor({ localhost: '127.0.0.1' }),
      ca: certificate,
      ports: { http: httpPort },
    });
    const json = toObservatoryJson(report);
    // The page scanned is the SPA's, as a browser gets it.
    expect(site.html).toMatch(/<div id="app"/);
    expect(site.https.hops[0]?.tls).toMatchObject({ authorized: true, hostnameMatches: true });
    expect(site.http.hops.map((hop) => hop.status)).toEqual([301, 200]);
    const failing = Object.entries(json.tests).filter(([, test]) => test.pass === false);
    expect(failing).toEqual([]);
    expect(report.grade).toBe('A+');
  });
});
