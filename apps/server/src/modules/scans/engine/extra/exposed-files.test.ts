// exposed-git, exposed-env and server-status: the three probe checks, one describe each.
import { describe, expect, it } from 'vitest';
import { exposedEnv } from './exposed-env.js';
import { exposedGit } from './exposed-git.js';
import { serverStatus } from './server-status.js';
import { context, probe, site } from './test-site.js';
import type { Check } from '../types.js';

const SHOP = '<!doctype html><html><body>Welcome to our shop</body></html>';
const run = (check: Check, path: string, status: number, body: string, type = 'text/plain') =>
  check(
    site({ probes: { [path]: probe(`https://example.test${path}`, status, body, type) } }),
    context,
  )[0]!;

describe('exposed-git', () => {
  it.each([
    ['a ref', 'ref: refs/heads/main\n', 'ref: refs/…'],
    ['a detached sha-1', 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3\n', 'a commit hash'],
    ['a sha-256', `${'ab'.repeat(32)}\n`, 'a commit hash'],
  ])('fails on %s', (_label, body, kind) => {
    const finding = run(exposedGit, '/.git/HEAD', 200, body);
    expect(finding).toMatchObject({
      result: 'exposed-git-repository',
      pass: false,
      severity: 'critical',
      scoreModifier: -40,
    });
    expect(finding.evidence).toBe(
      `https://example.test/.git/HEAD answered 200 with a Git HEAD (${kind})`,
    );
    expect(finding.evidence).not.toContain('main');
  });

  it.each([
    ['a 404', 404, 'ref: refs/heads/main'],
    ['a catch-all HTML page', 200, SHOP],
    ['a page that mentions a ref', 200, 'docs: ref: refs/heads/main is how HEAD looks'],
  ])('passes on %s', (_label, status, body) => {
    expect(run(exposedGit, '/.git/HEAD', status, body)).toMatchObject({
      result: 'exposed-git-not-found',
      pass: true,
    });
  });

  it('does not apply when not probed', () => {
    expect(exposedGit(site(), context)[0]).toMatchObject({
      pass: null,
      result: 'exposed-git-not-tested',
    });
  });
});

describe('exposed-env', () => {
  const ENV =
    '# production\nDB_HOST=db.internal\nDB_PASSWORD=hunter2-s3cret\nexport API_KEY="sk_live_abc"\n\nSESSION_SECRET=zzz\n';

  it('fails on KEY=VALUE lines and shows the keys, never a value', () => {
    const finding = run(exposedEnv, '/.env', 200, ENV);
    expect(finding).toMatchObject({
      result: 'exposed-env-file',
      pass: false,
      severity: 'critical',
      scoreModifier: -40,
    });
    expect(finding.evidence).toBe(
      'https://example.test/.env: 4 lines like KEY=… found (keys: DB_HOST, DB_PASSWORD, API_KEY, SESSION_SECRET)',
    );
    for (const secret of ['hunter2', 'sk_live', 'db.internal', 'zzz']) {
      expect(JSON.stringify(finding)).not.toContain(secret);
    }
  });

  it('lists at most five keys', () => {
    const body = Array.from({ length: 8 }, (_, i) => `KEY_${i}=v`).join('\n');
    expect(run(exposedEnv, '/.env', 200, body).evidence).toBe(
      'https://example.test/.env: 8 lines like KEY=… found (keys: KEY_0, KEY_1, KEY_2, KEY_3, KEY_4, …)',
    );
  });

  it.each([
    ['an HTML page', 200, '<html><body>A=B</body></html>', 'text/html'],
    ['an HTML page served as text', 200, '<!DOCTYPE html>\nA=1', 'text/plain'],
    ['prose', 200, 'Nothing to see here.\nReally.\nx = 1 is maths', 'text/plain'],
    ['a 403', 403, 'A=1', 'text/plain'],
    ['an empty body', 200, '', 'text/plain'],
  ])('passes on %s', (_label, status, body, type) => {
    expect(run(exposedEnv, '/.env', status, body, type)).toMatchObject({
      result: 'exposed-env-not-found',
      pass: true,
    });
  });
});

describe('server-status', () => {
  const APACHE =
    '<html><head><title>Apache Status</title></head><body><h1>Apache Server Status for example.test</h1><dl><dt>Server Version: Apache/2.4.41</dt><dt>Current Time: …</dt></dl><pre>Scoreboard</pre>';
  const NGINX =
    'Active connections: 2 \nserver accepts handled requests\n 10 10 20 \nReading: 0 Writing: 1 Waiting: 1 \n';

  it('fails on an Apache status page', () => {
    expect(run(serverStatus, '/server-status', 200, APACHE, 'text/html')).toMatchObject({
      result: 'server-status-exposed',
      pass: false,
      severity: 'high',
      scoreModifier: -20,
      evidence: 'https://example.test/server-status answered 200 with an Apache status page',
    });
  });

  it('flags nginx stub_status at low severity', () => {
    expect(run(serverStatus, '/server-status', 200, NGINX)).toMatchObject({
      result: 'server-status-nginx-exposed',
      severity: 'low',
    });
  });

  it.each([
    ['a 403', 403, APACHE],
    ['a catch-all page', 200, SHOP],
  ])('passes on %s', (_label, status, body) => {
    expect(run(serverStatus, '/server-status', status, body, 'text/html')).toMatchObject({
      pass: true,
    });
  });
});
