import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE_ARGS } from '../../../test/server-process.js';
import { parseAllowedCidrs } from '../../http/ops-allowlist.js';
import { serverRoot } from '../../paths.js';
import { nginxAllowlist } from './edge-allowlist.js';

// e2e/nginx-edge.test.ts runs nginx with a file this writes; here: its content and its failure.
describe('edge:nginx-allowlist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-allowlist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (env: Record<string, string>, out: string) =>
    spawnSync(
      process.execPath,
      [...NODE_ARGS.slice(0, 3), 'src/cli/main.ts', 'edge:nginx-allowlist', '--out', out],
      {
        cwd: serverRoot,
        env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );

  it('allows each range (normalised) and denies the rest; unset allows every address', () => {
    const cidrs = parseAllowedCidrs(['203.0.113.0/24', '2001:DB8:AD:0::/48', '192.0.2.7']);
    expect(nginxAllowlist(cidrs).split('\n').slice(1)).toEqual([
      'allow 203.0.113.0/24;',
      'allow 2001:db8:ad::/48;',
      'allow 192.0.2.7/32;',
      'deny all;',
      '',
    ]);
    expect(nginxAllowlist(undefined)).toMatch(/\nallow all;\n$/);
    expect(nginxAllowlist(undefined)).not.toContain('deny');
  });

  it('leaves the file as it was when the variable is bad (nginx keeps the last good list)', () => {
    const out = join(dir, 'ops.conf');
    expect(cli({ ADMIN_ALLOWED_CIDRS: '10.0.0.0/8' }, out).status).toBe(0);
    const good = readFileSync(out, 'utf8');
    expect(good).toContain('allow 10.0.0.0/8;\ndeny all;');
    const bad = cli({ ADMIN_ALLOWED_CIDRS: '10.0.0.0/8,vpn' }, out);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ADMIN_ALLOWED_CIDRS: "vpn" is not an IP address');
    expect(readFileSync(out, 'utf8')).toBe(good);
  });
});
