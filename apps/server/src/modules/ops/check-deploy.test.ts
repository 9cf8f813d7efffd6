import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { serverRoot } from '../../paths.js';
import { checkDeploy } from './check-deploy.js';

/** A configuration that passes: what docs/deployment.md tells operators to set. */
const GOOD = {
  NODE_ENV: 'production',
  SECRET_KEY: 'q8Vd3kLr9XwP2mZt7YbN4cHs6JfG1aQe0uRiOyTlKp',
  DATABASE_URL: 'postgres://bastion:Xk29fLq8Zr7Vm3Pt@db.internal:5432/bastion',
  REDIS_URL: 'redis://:Hq7Lm2Xv9Rt4Pz8K@redis.internal:6379',
  PUBLIC_URL: 'https://bastion.example.org',
  TRUST_PROXY: '1',
  ALLOWED_ORIGINS: 'https://www.example.org',
  METRICS_TOKEN: '3f1c9a7e5b2d8f604c1e9a7b3d5f2e8c',
  SMTP_URL: 'smtps://mailer:Pw9xLq2@smtp.example.org:465',
  ADMIN_ALLOWED_CIDRS: '203.0.113.0/24,2001:db8:ad::/48',
};

const ids = (env: Record<string, string>) =>
  checkDeploy(loadConfig(env), env).map((finding) => finding.id);

describe('check:deploy', () => {
  // Development mode writes its generated secret into DATA_DIR.
  const dataDir = mkdtempSync(join(tmpdir(), 'bastion-check-deploy-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds nothing to report in a sound production configuration', () => {
    expect(checkDeploy(loadConfig(GOOD), GOOD)).toEqual([]);
  });

  it('flags development mode, its generated secret and its insecure cookies', () => {
    const env = { NODE_ENV: 'development', DATA_DIR: dataDir };
    expect(ids(env)).toEqual(
      expect.arrayContaining(['debug_mode', 'weak_secret', 'insecure_cookies', 'no_tls']),
    );
  });

  it('flags a placeholder secret even when it is long enough', () => {
    const env = { ...GOOD, SECRET_KEY: 'replace-me-with-openssl-rand-base64-48-output-000000' };
    expect(ids(env)).toEqual(['weak_secret']);
  });

  it('flags plain HTTP without a TLS proxy, and a proxy trusted blindly', () => {
    expect(ids({ ...GOOD, PUBLIC_URL: 'http://bastion.example.org' })).toEqual([
      'no_tls',
      'insecure_cookies',
    ]);
    expect(ids({ ...GOOD, TRUST_PROXY: 'false' })).toEqual(['no_proxy_trust']);
    expect(ids({ ...GOOD, TRUST_PROXY: 'true' })).toEqual(['trust_any_proxy']);
  });

  it('flags missing or wildcard ALLOWED_ORIGINS', () => {
    const { ALLOWED_ORIGINS: _unused, ...withoutOrigins } = GOOD;
    expect(ids(withoutOrigins)).toEqual(['no_allowed_origins']);
    expect(ids({ ...GOOD, ALLOWED_ORIGINS: '*' })).toEqual(['any_origin']);
  });

  it('flags default passwords in DATABASE_URL and REDIS_URL', () => {
    expect(
      ids({ ...GOOD, DATABASE_URL: 'postgres://bastion:bastion@postgres:5432/bastion' }),
    ).toEqual(['default_database_password']);
    expect(ids({ ...GOOD, DATABASE_URL: 'postgres://postgres:postgres@db:5432/app' })).toEqual([
      'default_database_password',
    ]);
    expect(ids({ ...GOOD, REDIS_URL: 'redis://redis.internal:6379' })).toEqual([
      'default_redis_password',
    ]);
  });

  it('flags metrics guarded by a guessable token or by the signing key', () => {
    expect(ids({ ...GOOD, METRICS_TOKEN: 'metrics-metrics-1' })).toEqual(['weak_metrics_token']);
    expect(ids({ ...GOOD, METRICS_TOKEN: GOOD.SECRET_KEY })).toEqual(['metrics_token_is_secret']);
  });

  it('flags operator surfaces open to every address', () => {
    const { ADMIN_ALLOWED_CIDRS: _unused, ...unrestricted } = GOOD;
    expect(ids(unrestricted)).toEqual(['operator_surfaces_open']);
    // The Kubernetes base value: restricted in form, open in fact.
    expect(ids({ ...GOOD, ADMIN_ALLOWED_CIDRS: '0.0.0.0/0,::/0' })).toEqual([
      'operator_surfaces_open',
    ]);
  });

  it('exits 1 with the list of errors, and 0 when only warnings remain', () => {
    const run = (env: Record<string, string>) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', '--conditions=source', 'src/cli/main.ts', 'check:deploy'],
        // Only the given variables: the machine's own environment must not leak in.
        { cwd: serverRoot, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } },
      );
    const bad = run({ ...GOOD, NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('ERROR   debug_mode');
    expect(bad.stdout).toMatch(/check:deploy: \d+ error\(s\)/);
    const { SMTP_URL: _unused, ...withoutSmtp } = GOOD;
    const warningsOnly = run(withoutSmtp);
    expect(warningsOnly.status, warningsOnly.stderr).toBe(0);
    expect(warningsOnly.stdout).toContain('WARNING no_smtp');
  }, 30_000);
});
