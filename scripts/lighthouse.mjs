#!/usr/bin/env node
// npm run lighthouse [-- BASE_URL]
// Lighthouse (mobile defaults: emulated phone, simulated slow 4G, 4× CPU slowdown) on the landing,
// sign-in and sign-up pages, with Debian's Chromium. Without BASE_URL it starts the built server
// in production mode (NODE_ENV=production, a random SECRET_KEY) on a fresh database
// `bastion_lighthouse` of the PostgreSQL server in DATABASE_URL, and stops it afterwards.
// Env: DATABASE_URL (required without BASE_URL), LIGHTHOUSE_RUNS (3: the median run of each
//      page counts), LIGHTHOUSE_MIN (95: exit 1 when a median score is lower), CHROMIUM_PATH.
// Reports (HTML + JSON) go to results/lighthouse-<time>/.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const minimum = Number(process.env.LIGHTHOUSE_MIN ?? 95);
const pages = [
  ['landing', '/'],
  ['sign-in', '/login'],
  ['sign-up', '/signup'],
];
const categories = ['performance', 'accessibility'];

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitUntilReady(baseUrl, server) {
  for (let attempt = 0; attempt < 240; attempt++) {
    if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
    try {
      if ((await fetch(`${baseUrl}/api/ready`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the server did not become ready within 60 s');
}

/** The built server, production mode, on a fresh database; returns its URL and a stop(). */
async function startProductionServer() {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    throw new Error(
      'set DATABASE_URL to a PostgreSQL server (production mode needs one), e.g. ' +
        'DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run lighthouse, ' +
        'or pass the URL of a running server: npm run lighthouse -- http://127.0.0.1:8000',
    );
  }
  const { dropDatabase, ensureDatabase } = await import(join(root, 'apps/server/dist/db/admin.js'));
  const name = 'bastion_lighthouse';
  await dropDatabase(serverUrl, name);
  const databaseUrl = await ensureDatabase(serverUrl, name);
  const port = await freePort();
  const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(36).toString('base64url'),
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      SERVE_WEB: 'true',
      LOG_LEVEL: 'warn',
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
    }
    await dropDatabase(serverUrl, name);
  };
  try {
    await waitUntilReady(baseUrl, server);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

function audit(url, outputBase) {
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules/lighthouse/cli/index.js'),
      url,
      `--only-categories=${categories.join(',')}`,
      '--output=json',
      '--output=html',
      `--output-path=${outputBase}`,
      '--chrome-flags=--headless --no-sandbox --disable-gpu',
      '--quiet',
    ],
    { cwd: root, env: { ...process.env, CHROME_PATH: chromium }, encoding: 'utf8' },
  );
  if (result.status !== 0) throw new Error(`lighthouse failed on ${url}:\n${result.stderr}`);
  const report = JSON.parse(readFileSync(`${outputBase}.report.json`, 'utf8'));
  if (report.runtimeError) throw new Error(`${url}: ${report.runtimeError.message}`);
  const score = (category) => Math.round(report.categories[category].score * 100);
  const metric = (id) => report.audits[id].displayValue;
  return {
    benchmarkIndex: Math.round(report.environment.benchmarkIndex),
    scores: Object.fromEntries(categories.map((category) => [category, score(category)])),
    metrics: ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time']
      .map(
        (id) =>
          `${id
            .split('-')
            .map((word) => word[0].toUpperCase())
            .join('')} ${metric(id)}`,
      )
      .concat(`CLS ${metric('cumulative-layout-shift')}`)
      .join(', '),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const out = join(root, 'results', `lighthouse-${new Date().toISOString().replace(/[:.]/g, '-')}`);
mkdirSync(out, { recursive: true });
const given = process.argv[2]?.replace(/\/$/, '');
const server = given ? { baseUrl: given, stop: async () => {} } : await startProductionServer();
let failed = false;
try {
  console.log(
    `Lighthouse ${categories.join(' + ')}, mobile, ${runs} run(s) per page: ${server.baseUrl}`,
  );
  for (const [page, path] of pages) {
    const results = [];
    for (let run = 1; run <= runs; run++) {
      const url = `${server.baseUrl}${path}`;
      const base = join(out, `${page}-${run}`);
      try {
        results.push(audit(url, base));
      } catch (error) {
        // Chrome now and then fails to start or to settle on a loaded machine: one more try.
        console.error(`${page} run ${run}: ${error.message.split('\n')[0]}; retrying`);
        results.push(audit(url, base));
      }
    }
    // The run with the median performance score stands for the page.
    const byPerformance = [...results].sort((a, b) => a.scores.performance - b.scores.performance);
    const chosen = byPerformance[Math.floor(results.length / 2)];
    const medians = Object.fromEntries(
      categories.map((category) => [category, median(results.map((r) => r.scores[category]))]),
    );
    const all = results.map((r) => r.scores.performance).join('/');
    const speed = results.map((r) => r.benchmarkIndex).join('/');
    console.log(
      `${page.padEnd(8)} performance ${medians.performance} (runs ${all}), ` +
        `accessibility ${medians.accessibility}; ${chosen.metrics}; CPU benchmark index ${speed}`,
    );
    if (categories.some((category) => medians[category] < minimum)) failed = true;
  }
  console.log(`reports: ${out}`);
} finally {
  await server.stop();
}
if (failed) {
  console.error(`a median score is below ${minimum}`);
  process.exit(1);
}
