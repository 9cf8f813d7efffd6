import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';

// Every `npm run bench:*` of the server still runs, on a few rows, exactly as the README says to
// call it. The figures are not judged here (they belong in docs/performance.md); a benchmark that
// no longer starts — a module manifest it did not install, a default database that is not
// there — is what this catches.

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

async function bench(script: string, args: string[], env: Record<string, string> = {}) {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', script, ...args],
    {
      cwd: serverDir,
      env: { ...process.env, DATABASE_URL: inject('databaseServerUrl'), ...env },
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return stdout;
}

/** The figures a bench prints last, as one line of JSON. */
const lastJson = <T>(out: string) => JSON.parse(out.trim().split('\n').at(-1)!) as T;

describe('benchmarks', { timeout: 150_000 }, () => {
  it('bench:jobs enqueues, runs and times jobs', async () => {
    const out = await bench('src/modules/jobs/bench.ts', ['--jobs', '200', '--latency-jobs', '10']);
    const result = lastJson<Record<string, number>>(out);
    expect(result.jobs).toBe(200);
    expect(result.endToEndPerSecond).toBeGreaterThan(0);
  });

  it('bench:admin lists, searches and exports a table', async () => {
    const out = await bench('src/admin/bench.ts', ['--rows', '2000', '--runs', '2']);
    expect(out).toMatch(/first page\s+\d/);
    expect(out).toMatch(/export: 2000 rows/);
  });

  it('bench:scans scans local sites', async () => {
    const out = await bench('src/modules/scans/engine/bench.ts', [], { BENCH_SCANS: '2' });
    expect(out).toMatch(/p50/);
  });

  it('bench:auth-timing compares known and unknown addresses', async () => {
    // It exits non-zero when the two differ by more than the tolerance: on 5 samples of a busy
    // test machine that is noise, so the tolerance is wide; `npm run bench:auth-timing` is the
    // measurement.
    const out = await bench('src/modules/accounts/timing-bench.ts', [
      '--samples',
      '5',
      '--tolerance-ms',
      '10000',
    ]);
    const result = lastJson<{ results: unknown[] }>(out);
    expect(result.results).toHaveLength(3);
  });

  it('bench:import previews and applies CSV files through the built server', async () => {
    // `npm test` builds the server first, as `npm run bench:import` does.
    const out = await bench('src/modules/crm/import-bench.ts', [
      '--rows',
      '500',
      '--parallel',
      '1',
    ]);
    const result = lastJson<{ results: Record<string, { created?: number }> }>(out);
    expect(result.results['apply 1 file']?.created).toBeGreaterThan(0);
  });
});
