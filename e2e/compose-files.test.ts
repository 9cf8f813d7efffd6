import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { OPS_PATHS } from '../apps/server/src/http/ops-allowlist.js';

// The Compose files are checked by the Compose client itself (`config` resolves anchors,
// variables and merges exactly as `up` would), then the rendered model is held to the
// deployment's security rules. No Docker engine is needed for either.
const root = resolve(import.meta.dirname, '..');
const exampleEnv = join(root, 'deploy/production.env.example');

/** `docker compose` (v2 plugin) when installed, else Debian's `docker-compose` (v1). */
function composeCommand(): string[] {
  const candidates = [['docker', 'compose'], ['docker-compose']];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate[0]!, [...candidate.slice(1), 'version'], {
      encoding: 'utf8',
    });
    if (probe.status === 0) return candidate;
  }
  throw new Error(
    'No Compose client: install the Docker Compose v2 plugin, or `apt-get install docker-compose`',
  );
}

const compose = composeCommand();
const scratch = mkdtempSync(join(tmpdir(), 'bastion-compose-'));
const emptyEnv = join(scratch, 'empty.env');
writeFileSync(emptyEnv, '');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function config(file: string, envFile: string) {
  // A clean environment: variables of the machine running the tests must not fill the gaps.
  const result = spawnSync(
    compose[0]!,
    [...compose.slice(1), '--env-file', envFile, '-f', join(root, file), 'config'],
    { encoding: 'utf8', cwd: root, env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface Service {
  image?: string;
  ports?: (string | { published?: string | number; target: number; host_ip?: string })[];
  read_only?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  networks?: string[] | Record<string, unknown>;
  healthcheck?: { test?: unknown; disable?: boolean };
  volumes?: (string | { source?: string; target: string })[];
  deploy?: { replicas?: number | string };
  labels?: Record<string, string> | string[];
  command?: string[] | string;
  user?: string;
  profiles?: string[];
  environment?: Record<string, string | null> | string[];
}
interface Model {
  services: Record<string, Service>;
  networks: Record<string, { internal?: boolean } | null>;
}

function render(file: string, envFile: string): Model {
  const result = config(file, envFile);
  expect(result.status, result.stderr).toBe(0);
  return parse(result.stdout) as Model;
}

/** Host side of each published port as `ip:port` ("0.0.0.0" when every interface). */
function published(service: Service): string[] {
  return (service.ports ?? []).map((port) => {
    if (typeof port === 'object') return `${port.host_ip ?? '0.0.0.0'}:${port.published}`;
    const parts = port.replace(/\/tcp$/, '').split(':');
    return parts.length === 3 ? `${parts[0]}:${parts[1]}` : `0.0.0.0:${parts[0]}`;
  });
}

const networksOf = (service: Service) =>
  Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
const labelsOf = (service: Service): Record<string, string> =>
  Array.isArray(service.labels)
    ? Object.fromEntries(service.labels.map((label) => label.split(/=(.*)/s).slice(0, 2)))
    : (service.labels ?? {});
const environmentOf = (service: Service): Record<string, string> =>
  Array.isArray(service.environment)
    ? Object.fromEntries(service.environment.map((entry) => entry.split(/=(.*)/s).slice(0, 2)))
    : Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, value ?? '']),
      );
const volumeSources = (service: Service) =>
  (service.volumes ?? []).map((volume) =>
    typeof volume === 'string' ? volume.split(':')[0] : volume.source,
  );

describe('compose.yaml (local development)', () => {
  const model = render('compose.yaml', emptyEnv);

  it('runs the backing services and the three roles of the app', () => {
    expect(Object.keys(model.services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'mailpit', 'api', 'worker', 'scheduler']),
    );
    expect(model.services.postgres!.image).toMatch(/^postgres:17/);
    expect(model.services.redis!.image).toMatch(/^redis:7/);
    // The api builds the web app first, so `/` and the printed /setup link answer.
    const api = [model.services.api!.command ?? []].flat().join(' ');
    expect(api).toContain('scripts/build.mjs --if-stale --web');
    expect(api).toMatch(/dev -w @bastion\/server -- web$/);
  });

  it('runs the app containers as the checkout owner, never root', () => {
    for (const name of ['api', 'worker', 'scheduler']) {
      expect(model.services[name]!.user, name).toMatch(/^[1-9]\d*:[1-9]\d*$/);
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, service] of Object.entries(model.services)) {
      for (const port of published(service)) expect(port, name).toMatch(/^127\.0\.0\.1:/);
    }
  });
});

describe('compose.production.yaml', () => {
  const model = render('compose.production.yaml', exampleEnv);
  const services = model.services;

  it('refuses to render without the required secrets, naming them', () => {
    const result = config('compose.production.yaml', emptyEnv);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /set (SECRET_KEY|POSTGRES_PASSWORD|REDIS_PASSWORD|BASTION_DOMAIN|ACME_EMAIL)/,
    );
  });

  it('publishes 80 and 443 from Traefik and nothing else', () => {
    expect(published(services.traefik!).sort()).toEqual(['0.0.0.0:443', '0.0.0.0:80']);
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'traefik') expect(published(service), name).toEqual([]);
    }
  });

  it('runs every service read-only, without capabilities and without privilege escalation', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(service.cap_drop, name).toEqual(['ALL']);
      expect(service.security_opt, name).toContain('no-new-privileges:true');
      // The socket proxy writes its generated haproxy config at start; it has no network
      // route to the outside and no published port.
      if (name !== 'docker-proxy') expect(service.read_only, name).toBe(true);
    }
    expect(services.traefik!.cap_add).toEqual(['NET_BIND_SERVICE']);
  });

  it('keeps PostgreSQL and Redis on an internal network, with healthchecks and named volumes', () => {
    expect(model.networks.backend?.internal).toBe(true);
    for (const name of ['postgres', 'redis']) {
      const service = services[name]!;
      expect(networksOf(service), name).toEqual(['backend']);
      expect(service.healthcheck?.test, name).toBeTruthy();
      expect(volumeSources(service)[0], name).toMatch(/^(postgres|redis)_data$/);
    }
    expect(services.postgres!.image).toMatch(/^postgres:17/);
    expect(services.redis!.image).toMatch(/^redis:7/);
  });

  it('runs API replicas and workers, and exactly one scheduler', () => {
    expect(Number(services.api!.deploy?.replicas)).toBeGreaterThanOrEqual(2);
    expect(Number(services.worker!.deploy?.replicas)).toBeGreaterThanOrEqual(1);
    expect(Number(services.scheduler!.deploy?.replicas)).toBe(1);
    expect(services.api!.healthcheck?.test).toBeTruthy();
  });

  it('redirects HTTP to HTTPS and picks the ACME resolver from the environment', () => {
    const command = (services.traefik!.command as string[]).join(' ');
    expect(command).toContain('--entrypoints.web.http.redirections.entryPoint.to=websecure');
    expect(command).toContain('--entrypoints.web.http.redirections.entryPoint.scheme=https');
    expect(command).toContain('certificatesresolvers.staging.acme.caServer=https://acme-staging');
    expect(command).toContain('certificatesresolvers.production.acme.caServer=');
    expect(command).toContain('--entrypoints.websecure.http.tls.certResolver=staging');
    expect(command).toContain('--providers.docker.exposedByDefault=false');
    const production = config('compose.production.yaml', writeEnv({ ACME_RESOLVER: 'production' }));
    expect(production.stdout).toContain('--entrypoints.websecure.http.tls.certResolver=production');
  });

  it('routes the API through security-header and rate-limit middlewares', () => {
    const labels = labelsOf(services.api!);
    expect(labels['traefik.http.routers.bastion.middlewares']).toMatch(
      /bastion-headers.*bastion-ratelimit/,
    );
    expect(labels['traefik.http.routers.bastion.rule']).toBe('Host(`bastion.example.com`)');
    expect(labels['traefik.http.middlewares.bastion-headers.headers.stsSeconds']).toBe('63072000');
    expect(labels['traefik.http.middlewares.bastion-ratelimit.ratelimit.average']).toBeTruthy();
    expect(labels['traefik.http.routers.bastion-metrics.rule']).toContain('Path(`/metrics`)');
    expect(labels['traefik.http.routers.bastion-metrics.middlewares']).toBe('bastion-deny');
    expect(labels['traefik.http.services.bastion.loadbalancer.healthcheck.path']).toBe(
      '/api/ready',
    );
  });
  describe('ADMIN_ALLOWED_CIDRS at the edge', () => {
    /** The paths a Traefik rule matches: `PathPrefix(`/a`)` and `Path(`/b`)`. */
    const rulePaths = (rule: string) =>
      [...rule.matchAll(/(PathPrefix|Path)\(`([^`]+)`\)/g)].map(([, kind, path]) => ({
        path: path!,
        prefix: kind === 'PathPrefix',
      }));

    it("routes exactly the app's operator surfaces through the allow-list, on top of the usual middlewares", () => {
      const labels = labelsOf(services.api!);
      const rule = labels['traefik.http.routers.bastion-ops.rule']!;
      expect(rule.startsWith('Host(`bastion.example.com`) && (')).toBe(true);
      // Drift between the edge and the app would leave a surface open at one of them.
      expect(rulePaths(rule)).toEqual(OPS_PATHS);
      expect(labels['traefik.http.routers.bastion-ops.middlewares']!.split(',')).toEqual([
        'bastion-headers',
        'bastion-ops-allowlist',
        'bastion-ratelimit',
        'bastion-compress',
      ]);
      // Above the catch-all router whatever the rules' lengths.
      expect(Number(labels['traefik.http.routers.bastion-ops.priority'])).toBeGreaterThan(
        labels['traefik.http.routers.bastion.rule']!.length,
      );
      expect(labels['traefik.http.routers.bastion-ops.entrypoints']).toBe('websecure');
      expect(labels['traefik.http.routers.bastion-ops.tls.certresolver']).toBe('staging');
    });

    it('allows every address when unset, at the edge and in the app', () => {
      const labels = labelsOf(services.api!);
      expect(labels['traefik.http.middlewares.bastion-ops-allowlist.ipallowlist.sourcerange']).toBe(
        '0.0.0.0/0,::/0',
      );
      for (const name of ['api', 'worker', 'scheduler']) {
        expect(environmentOf(services[name]!).ADMIN_ALLOWED_CIDRS, name).toBe('');
      }
    });

    it('gives Traefik and every app container the same list when set', () => {
      const cidrs = '203.0.113.0/24,2001:db8:ad::/48';
      const restricted = render(
        'compose.production.yaml',
        writeEnv({ ADMIN_ALLOWED_CIDRS: cidrs }),
      );
      const labels = labelsOf(restricted.services.api!);
      expect(labels['traefik.http.middlewares.bastion-ops-allowlist.ipallowlist.sourcerange']).toBe(
        cidrs,
      );
      for (const name of ['api', 'worker', 'scheduler']) {
        expect(environmentOf(restricted.services[name]!).ADMIN_ALLOWED_CIDRS, name).toBe(cidrs);
      }
      // The app reads TRUST_PROXY=1: the address Traefik forwards is the one it checks.
      expect(environmentOf(restricted.services.api!).TRUST_PROXY).toBe('1');
    });
  });
});

/** The example environment with some variables replaced. */
function writeEnv(overrides: Record<string, string>): string {
  const file = join(scratch, `env-${Object.keys(overrides).join('-')}`);
  const kept = readFileSync(exampleEnv, 'utf8')
    .split('\n')
    .filter((line) => !Object.keys(overrides).some((key) => line.startsWith(`${key}=`)));
  const lines = Object.entries(overrides).map(([key, value]) => `${key}=${value}`);
  writeFileSync(file, [...kept, ...lines, ''].join('\n'));
  return file;
}
