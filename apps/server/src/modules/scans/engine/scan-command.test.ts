import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OBSERVATORY_TESTS } from '@bastion/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverRoot } from '../../../paths.js';
import { makeTestPki, startTestServer, type TestServer } from './test-support.js';

// The scan command in a child process, as a CI job would run it: the OS resolver, Node's CAs plus
// NODE_EXTRA_CA_CERTS, SCAN_ALLOW_CIDRS from the environment. The command is run the way
// cli/main.ts runs a module's command (parseArgs on its options, a CLI context), so this test does
// not depend on the module being registered yet.

const driver = `
import { parseArgs } from 'node:util';
import { scanCommand } from './src/modules/scans/engine/scan-command.ts';
import { createCliContext } from './src/cli/context.ts';
const { values, positionals } = parseArgs({
  args: process.argv.slice(1), options: scanCommand.options, allowPositionals: true,
});
const context = createCliContext();
try { await scanCommand.run(context, values, positionals); }
catch (error) { console.error('error: ' + error.message); process.exitCode = 1; }
finally { await context.close(); }
`;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function scan(args: string[], env: Record<string, string | undefined>): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=source',
        '--input-type=module',
        '-e',
        driver,
        '--',
        ...args,
      ],
      {
        cwd: serverRoot,
        env: {
          ...process.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          NODE_EXTRA_CA_CERTS: undefined,
          SCAN_ALLOW_CIDRS: undefined,
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const pki = makeTestPki('site.test');
let dir: string;
let caFile: string;
let strong: TestServer;
let weak: TestServer;
const allow = { SCAN_ALLOW_CIDRS: '127.0.0.0/8', SCAN_ALLOWED_PORTS: '*' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'bastion-scan-cli-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.ca);
  strong = await startTestServer({
    host: '127.0.0.1',
    tls: pki.leaf,
    routes: {
      '*': {
        headers: {
          'content-type': 'text/html',
          'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
          'strict-transport-security': 'max-age=63072000',
          'x-content-type-options': 'nosniff',
        },
        body: '<p>hi</p>',
      },
    },
  });
  weak = await startTestServer({
    host: '127.0.0.1',
    routes: { '*': { headers: { 'content-type': 'text/html' }, body: '<p>hi</p>' } },
  });
});

afterAll(async () => {
  await Promise.all([strong.close(), weak.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run cli -- scan', () => {
  it('prints the Observatory-shaped JSON, trusting NODE_EXTRA_CA_CERTS', async () => {
    const result = await scan(['--json', `https://127.0.0.1:${strong.port}/`], {
      ...allow,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(result.stderr).toBe('');
    const json = JSON.parse(result.stdout) as {
      grade: string;
      score: number;
      tests: Record<string, { pass: boolean; result: string; scoreModifier: number }>;
      extra: { grade: string | null };
    };
    expect(Object.keys(json.tests).sort()).toEqual([...OBSERVATORY_TESTS].sort());
    expect(json.tests['x-content-type-options']).toEqual({
      pass: true,
      result: 'x-content-type-options-nosniff',
      scoreModifier: 0,
    });
    expect(json.grade).toMatch(/^[A-F][+-]?$/);
    expect(result.code).toBe(0);
  });

  it('says when the certificate is not trusted (no NODE_EXTRA_CA_CERTS)', async () => {
    const trusted = await scan([`https://127.0.0.1:${strong.port}/`], {
      ...allow,
      NODE_EXTRA_CA_CERTS: caFile,
    });
    expect(trusted.stdout).toMatch(/certificate trusted, matches the host/);
    const untrusted = await scan([`https://127.0.0.1:${strong.port}/`], allow);
    expect(untrusted.stdout).toMatch(/certificate not trusted \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\)/);
  });

  it('exits non-zero below --min-grade and zero at or above it', async () => {
    const below = await scan(['--min-grade', 'B', `http://127.0.0.1:${weak.port}/`], allow);
    expect(below.stdout).toMatch(/Observatory grade F/);
    expect(below.stderr).toMatch(/grade F is below the minimum B/);
    expect(below.code).toBe(1);
    const atLeast = await scan(['--min-grade', 'f', `http://127.0.0.1:${weak.port}/`], allow);
    expect(atLeast.code).toBe(0);
    const bad = await scan(['--min-grade', 'Z', `http://127.0.0.1:${weak.port}/`], allow);
    expect(bad.stderr).toMatch(/--min-grade must be one of/);
    expect(bad.code).toBe(1);
  });

  it('honours SCAN_ALLOW_CIDRS: loopback is refused without it', async () => {
    const before = weak.requests.length;
    const result = await scan([`http://127.0.0.1:${weak.port}/`], { SCAN_ALLOWED_PORTS: '*' });
    expect(result.stdout).toMatch(/could not be scanned: .*loopback/);
    expect(result.code).toBe(1);
    expect(weak.requests).toHaveLength(before);
  });
});
