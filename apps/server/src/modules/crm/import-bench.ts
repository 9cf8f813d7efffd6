/**
 * `npm run bench:import [-- --rows 50000 --parallel 4]`: CSV lead import under load, against the
 * built server (`dist/main.js`, role all: API and worker in one process, NODE_ENV=production) on
 * a throwaway database (embedded PostgreSQL, or DATABASE_URL's server).
 *
 * Phases, after a small warm-up import: one file previewed, then applied; then `--parallel` files (one API key each) previewed
 * at once, then applied at once. Per phase: rows/s, the server's peak RSS (VmHWM, reset per
 * phase through /proc/PID/clear_refs), its maximum event-loop delay (perf_hooks, measured inside
 * the server by scripts/loop-monitor.mjs) and the slowest answer to a probe request sent every
 * 10 ms meanwhile (a 404 route: no database work, so its latency is the event loop's).
 * An idle phase first shows what the machine alone adds (other processes competing for CPU).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { createDatabase } from '../../db/client.js';
import { scratchDatabase } from '../../db/scratch-database.js';
import { repoRoot } from '../../paths.js';
import { createApiKey } from '../accounts/credentials.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '50000' },
    parallel: { type: 'string', default: '4' },
    // Another build of the server to measure (e.g. an older commit's, for a before/after).
    server: { type: 'string', default: join(repoRoot, 'apps/server/dist/main.js') },
  },
});
const rows = Number(values.rows);
const parallel = Number(values.parallel);
const MiB = 1024 * 1024;

/** A realistic file: 1 % invalid rows, 1 % repeated emails, every row with a company. */
function makeCsv(count: number, tag: string): Buffer {
  const lines = ['full_name,email,company_name,phone_number,source,status'];
  for (let i = 0; i < count; i++) {
    const name = i % 100 === 7 ? 'X' : `Person ${tag} ${i}`;
    const email =
      i % 100 === 11 ? `person${i - 1}.${tag}@example.com` : `person${i}.${tag}@example.com`;
    lines.push(
      `${name},${email},Company ${i % 500},+44 20 7946 ${String(i % 10000).padStart(4, '0')},fair,new`,
    );
  }
  return Buffer.from(lines.join('\n'));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** The server's event-loop figures since the last reset, from scripts/loop-monitor.mjs. */
function readLoop(child: ChildProcess): Promise<{ maxMs: number; p99Ms: number }> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: string; maxMs: number; p99Ms: number }) => {
      if (message?.type !== 'loop-monitor') return;
      child.off('message', onMessage);
      resolve(message);
    };
    child.on('message', onMessage);
    child.send('loop-monitor:read');
  });
}

function peakRssMiB(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match![1]) / 1024);
}

function currentRssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(match![1]) / 1024);
}

/** Probe requests every 10 ms until stopped; returns the slowest answer in ms. */
function startProbe(base: string) {
  let running = true;
  let slowest = 0;
  let count = 0;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${base}/api/v1/bench-probe`).catch(() => undefined);
      // A server that stopped answering ends the run (with its log), not the probe alone.
      if (!response) break;
      await response.arrayBuffer();
      slowest = Math.max(slowest, performance.now() - started);
      count++;
      await delay(10);
    }
  })();
  return async () => {
    running = false;
    await done;
    return { slowestMs: Math.round(slowest), probes: count };
  };
}

interface ImportBody {
  id: string;
  status: string;
  valid_rows: number;
  total_rows: number;
  created_rows: number;
}

async function main() {
  const scratch = await scratchDatabase('bastion_bench_import');
  const url = scratch.url;

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    ['--import', join(repoRoot, 'scripts/loop-monitor.mjs'), values.server, 'all'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: url,
        SECRET_KEY: randomBytes(48).toString('base64'),
        HOST: '127.0.0.1',
        PORT: String(port),
        SERVE_WEB: 'false',
        LOG_LEVEL: 'warn',
        // The limits are raised, not removed: they are still checked on every request.
        RATE_LIMIT_PER_MINUTE: '1000000000',
        LEADS_CREATE_LIMIT_PER_IP: '1000000000',
        LEADS_CREATE_LIMIT_PER_KEY: '1000000000',
      },
    },
  );
  let stderr = '';
  // The server's log (warnings and errors only), shown if the run fails.
  const keep = (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const pid = child.pid!;
  const files = [makeCsv(rows, 'single')];
  for (let i = 0; i < parallel; i++) files.push(makeCsv(rows, `p${i}`));

  const results: Record<string, Record<string, number | string>> = {};
  try {
    for (let tries = 0; ; tries++) {
      const ready = await fetch(`${base}/api/ready`).catch(() => undefined);
      if (ready?.ok) break;
      if (tries > 300 || child.exitCode !== null)
        throw new Error(`server did not start:\n${stderr}`);
      await delay(100);
    }
    // The server has migrated the database (its own migrations: it may be another build).
    const database = createDatabase(url, { poolMax: 2 });
    const keys: string[] = [];
    for (let i = 0; i <= parallel; i++) {
      const scopes = ['leads:read', 'leads:write'];
      keys.push((await createApiKey(database.db, { name: `bench ${i}`, scopes })).key);
    }
    await database.close();
    const call = async (key: string, path: string, init: RequestInit = {}) => {
      const response = await fetch(`${base}${path}`, {
        ...init,
        headers: { authorization: `Api-Key ${key}`, ...(init.headers as Record<string, string>) },
      });
      const body = (await response.json()) as ImportBody & { error?: { message: string } };
      if (!response.ok) throw new Error(`${path}: ${response.status} ${body.error?.message}`);
      return body;
    };
    const upload = async (key: string, file: Buffer) => {
      let body = await call(key, '/api/v1/leads/imports?filename=bench.csv', {
        method: 'POST',
        headers: { 'content-type': 'text/csv' },
        body: file,
      });
      // An import may be checked in the background (status `parsing`): wait for its preview.
      while (body.status === 'parsing') {
        await delay(100);
        body = await call(key, `/api/v1/leads/imports/${body.id}`);
      }
      return body;
    };
    const apply = async (key: string, id: string) => {
      await call(key, `/api/v1/leads/imports/${id}/apply`, { method: 'POST' });
      for (;;) {
        const body = await call(key, `/api/v1/leads/imports/${id}`);
        if (body.status === 'done') return body;
        if (body.status === 'failed') throw new Error('import failed');
        await delay(100);
      }
    };

    const measure = async <T>(phase: string, rowCount: number, work: () => Promise<T>) => {
      await delay(500);
      const idleRss = currentRssMiB(pid);
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      child.send('loop-monitor:reset');
      process.stderr.write(`bench: ${phase}\n`);
      const stopProbe = startProbe(base);
      const started = performance.now();
      const value = await work();
      const seconds = (performance.now() - started) / 1000;
      const probe = await stopProbe();
      const loop = await readLoop(child);
      results[phase] = {
        rows: rowCount,
        seconds: Math.round(seconds * 100) / 100,
        rowsPerSecond: Math.round(rowCount / seconds),
        rssBeforeMiB: idleRss,
        peakRssMiB: peakRssMiB(pid),
        maxLoopDelayMs: loop.maxMs,
        p99LoopDelayMs: loop.p99Ms,
        slowestProbeMs: probe.slowestMs,
      };
      return value;
    };

    // Warm-up (first compilation of every code path), measured by nobody.
    const warm = await upload(keys[0]!, makeCsv(500, 'warm-up'));
    await apply(keys[0]!, warm.id);
    // The machine's own noise: the same figures while the server does nothing.
    await measure('idle (3 s, nothing running)', 0, () => delay(3000));
    const preview = await measure('preview 1 file', rows, () => upload(keys[0]!, files[0]!));
    const applied = await measure('apply 1 file', preview.valid_rows, () =>
      apply(keys[0]!, preview.id),
    );
    results['apply 1 file']!.created = applied.created_rows;
    const others = keys.slice(1);
    const previews = await measure(`preview ${parallel} files at once`, rows * parallel, () =>
      Promise.all(others.map((key, i) => upload(key, files[i + 1]!))),
    );
    await measure(
      `apply ${parallel} files at once`,
      previews.reduce((sum, p) => sum + p.valid_rows, 0),
      () => Promise.all(others.map((key, i) => apply(key, previews[i]!.id))),
    );
    console.table(results);
    console.log(
      JSON.stringify({
        database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PostgreSQL',
        fileMiB: Math.round((files[0]!.length / MiB) * 10) / 10,
        results,
      }),
    );
  } catch (error) {
    if (stderr) console.error(`server log:\n${stderr.slice(-4000)}`);
    throw error;
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) =>
      child.exitCode !== null ? resolve(null) : child.once('exit', resolve),
    );
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
