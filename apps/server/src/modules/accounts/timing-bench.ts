/**
 * `npm run bench:auth-timing [-- --samples 300 --tolerance-ms 2 --tolerance 0.1]`: do signup,
 * forgot-password and resend-verification answer in the same time whether or not the account
 * exists? For each, `samples` requests about known accounts and as many about unknown addresses
 * go to a listening server (with a worker running, as `npm start` does), one at a time, in
 * pairs of one of each in random order, so that drift in machine load hits both sides alike.
 * Prints both medians and
 * exits 1 when they differ by more than `tolerance-ms` or `tolerance` (a fraction of the smaller
 * median), whichever is larger; the bootstrap 95% interval of the difference is printed beside
 * it, to show how much of the difference is noise on this machine. Uses the embedded PostgreSQL in a temporary directory, or
 * DATABASE_URL's server (a throwaway database either way).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config.js';
import { createDatabase } from '../../db/client.js';
import { scratchDatabase } from '../../db/scratch-database.js';
import { runMigrations } from '../../db/migrate.js';
import { startJobRuntime } from '../jobs/runtime.js';
import { hashPassword } from './passwords.js';
import { users } from './schema.js';

const { values } = parseArgs({
  options: {
    samples: { type: 'string', default: '300' },
    'tolerance-ms': { type: 'string', default: '2' },
    tolerance: { type: 'string', default: '0.1' },
    seed: { type: 'string', default: '11' },
  },
});
const samples = Number(values.samples);
const toleranceMs = Number(values['tolerance-ms']);
const toleranceFraction = Number(values.tolerance);
const logger = pino({ level: 'warn' });
const PASSWORD = 'a calm and long passphrase';

/** A small seeded generator (mulberry32), so a run's order can be repeated. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** 95% bootstrap interval of median(a) − median(b). */
function bootstrapInterval(a: number[], b: number[], next: () => number): [number, number] {
  const resample = (values: number[]) =>
    Array.from({ length: values.length }, () => values[Math.floor(next() * values.length)]!);
  const differences = Array.from({ length: 1000 }, () => median(resample(a)) - median(resample(b)));
  return [quantile(differences, 0.025), quantile(differences, 0.975)];
}

interface Case {
  name: string;
  path: string;
  /** The body of the i-th request about a known account, and about an unknown address. */
  known(i: number): Record<string, string>;
  unknown(i: number): Record<string, string>;
}

async function main() {
  const scratch = await scratchDatabase('bastion_bench');
  const url = scratch.url;
  await runMigrations(url);
  const database = createDatabase(url, { poolMax: 10 });
  const config = loadConfig({
    NODE_ENV: 'test',
    SERVE_WEB: 'false',
    LOG_LEVEL: 'warn',
    DATABASE_URL: url,
    RATE_LIMIT_PER_MINUTE: '0',
    AUTH_RATE_LIMIT_PER_15MIN: '1000000',
  });
  const app = await buildApp({ config, database, logger });
  const runtime = await startJobRuntime({ role: 'worker', config, database, logger });
  try {
    // Known accounts: verified ones (forgot-password, signup) and unverified ones (resend).
    const total = samples + 20;
    const passwordHash = await hashPassword(PASSWORD);
    const rows = (kind: string, verified: boolean) =>
      Array.from({ length: total }, (_, i) => ({
        email: `${kind}${i}@bench.test`,
        passwordHash,
        emailVerifiedAt: verified ? new Date() : null,
      }));
    await database.db.insert(users).values(rows('verified', true));
    await database.db.insert(users).values(rows('unverified', false));
    const address = await app.listen({ host: '127.0.0.1', port: 0 });

    const cases: Case[] = [
      {
        name: 'signup',
        path: '/api/v1/auth/signup',
        known: (i) => ({ email: `verified${i}@bench.test`, password: PASSWORD }),
        unknown: (i) => ({ email: `new${i}@bench.test`, password: PASSWORD }),
      },
      {
        name: 'forgot-password',
        path: '/api/v1/auth/password/forgot',
        known: (i) => ({ email: `verified${i}@bench.test` }),
        unknown: (i) => ({ email: `nobody${i}@bench.test` }),
      },
      {
        name: 'resend-verification',
        path: '/api/v1/auth/verify-email/resend',
        known: (i) => ({ email: `unverified${i}@bench.test` }),
        unknown: (i) => ({ email: `nobody${i}@bench.test` }),
      },
    ];

    const send = async (path: string, body: Record<string, string>) => {
      const started = performance.now();
      const response = await fetch(`${address}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: address },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      if (response.status !== 202) throw new Error(`${path}: ${response.status} ${text}`);
      return { ms, text };
    };

    const next = random(Number(values.seed));
    const results = [];
    let failed = false;
    for (const test of cases) {
      process.stderr.write(`bench: ${test.name}\n`);
      // Warm-up (argon2, prepared plans, connections), not measured.
      for (let i = 0; i < 10; i++) {
        await send(test.path, test.known(samples + i));
        await send(test.path, test.unknown(samples + i));
      }
      // Known and unknown in adjacent pairs, the order within each pair a coin flip: both sides
      // see the same machine load, however it drifts during the run.
      const order = Array.from({ length: samples }, (_, i) => {
        const pair: ['known' | 'unknown', number][] = [
          ['known', i],
          ['unknown', i],
        ];
        return next() < 0.5 ? pair : pair.reverse();
      }).flat();
      const times = { known: [] as number[], unknown: [] as number[] };
      const answers = { known: new Set<string>(), unknown: new Set<string>() };
      for (const [kind, i] of order) {
        const { ms, text } = await send(test.path, test[kind](i));
        times[kind][i] = ms;
        answers[kind].add(text);
      }
      const known = median(times.known);
      const unknown = median(times.unknown);
      const allowed = Math.max(toleranceMs, toleranceFraction * Math.min(known, unknown));
      const sameAnswer =
        answers.known.size === 1 &&
        answers.unknown.size === 1 &&
        [...answers.known][0] === [...answers.unknown][0];
      const ok = Math.abs(known - unknown) <= allowed && sameAnswer;
      failed ||= !ok;
      const round = (value: number) => Math.round(value * 100) / 100;
      const [low, high] = bootstrapInterval(times.known, times.unknown, next);
      results.push({
        endpoint: test.name,
        knownMedianMs: round(known),
        unknownMedianMs: round(unknown),
        differenceMs: round(known - unknown),
        allowedMs: round(allowed),
        difference95Ms: `${round(low)}…${round(high)}`,
        sameAnswer,
        result: ok ? 'ok' : 'DIFFERENT',
      });
    }
    console.table(results);
    console.log(JSON.stringify({ samples, toleranceMs, toleranceFraction, results }));
    if (failed) {
      console.error('auth timing: known and unknown accounts are distinguishable (see above)');
      process.exitCode = 1;
    }
  } finally {
    await runtime.stop(5000);
    await app.close();
    await database.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
