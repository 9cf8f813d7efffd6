/**
 * `npm run bench:admin [-- --rows 1000000 --runs 20]`: the generic admin's list on a big table,
 * through the whole app (routing, auth, validation, serialisation; `app.inject`, no network),
 * on a throwaway database (on DATABASE_URL's server, or an embedded PostgreSQL for the run).
 *
 * Measures, each as median and p95 over `--runs` requests: the first page (50 rows, default
 * sort, estimated count), a filtered page, the page after a cursor, a broad search, a narrow
 * search (exact count) and a foreign-key-picker lookup; then one CSV export of every row
 * (rows/s and the process's peak RSS).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { scratchDatabase } from '../db/scratch-database.js';
import { createDatabase } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { createSession, sessionCookieNames } from '../modules/accounts/sessions.js';
import { insertUser } from '../modules/accounts/users.js';
import { modules } from '../modules/index.js';
import { bigRowsModule, createBigTable } from './big-table.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '20' },
  },
});
const rows = Number(values.rows);
const runs = Number(values.runs);
const scratch = await scratchDatabase('bastion_admin_bench');
const url = scratch.url;
try {
  await runMigrations(url);
  const database = createDatabase(url);
  const config = {
    ...loadConfig({ NODE_ENV: 'test', SERVE_WEB: 'false', LOG_LEVEL: 'silent' }),
    databaseUrl: url,
  };
  const started = performance.now();
  await createBigTable(database.pool, rows);
  console.log(`table: ${rows} rows made in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const app = await buildApp({
    config,
    database,
    logger: pino({ level: 'silent' }),
    modules: [...modules, bigRowsModule],
  });
  await app.ready();
  const user = await insertUser(app.db, {
    email: 'bench@example.test',
    password: 'correct horse battery staple',
    role: 'staff',
    displayName: 'Bench',
    verified: true,
  });
  const { token } = await createSession(app.db, config, user.id, {
    ip: '127.0.0.1',
    userAgent: 'bench',
  });
  const names = sessionCookieNames(config);
  const headers = { cookie: `${names.session}=${token}` };
  const base = '/api/v1/admin/resources/big-rows';

  async function get(path: string, query: Record<string, string> = {}) {
    const response = await app.inject({ method: 'GET', url: path, query, headers });
    if (response.statusCode !== 200)
      throw new Error(`${path}: ${response.statusCode} ${response.body}`);
    return response;
  }

  const first = (await get(base)).json() as { nextCursor: string };
  const cases: [string, string, Record<string, string>][] = [
    ['first page', base, {}],
    ['filtered page (status)', base, { filters: JSON.stringify({ status: 'paused' }) }],
    [
      'filtered page (date range)',
      base,
      {
        filters: JSON.stringify({
          createdAt: { from: '2020-06-01T00:00:00Z', to: '2020-07-01T00:00:00Z' },
        }),
      },
    ],
    ['next page (cursor)', base, { cursor: first.nextCursor }],
    ['broad search', base, { q: 'common' }],
    ['narrow search (exact count)', base, { q: 'rare 12' }],
    ['lookup', `${base}/lookup`, { q: 'rare 99' }],
  ];
  console.log(`\n${'case'.padEnd(30)} ${'median ms'.padStart(10)} ${'p95 ms'.padStart(8)}  count`);
  for (const [label, path, query] of cases) {
    await get(path, query); // warm-up
    const times: number[] = [];
    let count = '';
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const response = await get(path, query);
      times.push(performance.now() - start);
      const body = response.json() as { count?: { value: number; exact: boolean } };
      count = body.count ? `${body.count.exact ? '' : '≈'}${body.count.value}` : '';
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.min(times.length - 1, Math.ceil(times.length * 0.95) - 1)]!;
    console.log(
      `${label.padEnd(30)} ${median.toFixed(1).padStart(10)} ${p95.toFixed(1).padStart(8)}  ${count}`,
    );
  }

  const exportStart = performance.now();
  const exported = await get(`${base}/export`);
  const seconds = (performance.now() - exportStart) / 1000;
  const lines = exported.body.split('\n').length - 2;
  console.log(
    `\nexport: ${lines} rows, ${(exported.body.length / 1024 / 1024).toFixed(0)} MiB in ${seconds.toFixed(1)} s ` +
      `(${Math.round(lines / seconds)} rows/s); peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB ` +
      '(app.inject holds the whole answer; a socket would not)',
  );
  await app.close();
  await database.close();
} finally {
  await scratch.drop();
}
