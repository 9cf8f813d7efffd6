// `npm run bench:scans`: how fast the engine scans local sites. Two figures:
//  - latency of one scan of a local site (http → https redirect, TLS, page, all probes and the
//    four TLS-version handshakes), scans one after another: p50 / p95 / max;
//  - throughput of one process running BENCH_CONCURRENCY scans at once (the `scans` queue's
//    per-worker concurrency; default 4), scans per second.
// Local servers only: the figures are the engine's own cost, not the Internet's.
import { scanUrl } from './scan.js';
import { loopbackPolicy, makeTestPki, resolverFor, startTestServer } from './test-support.js';

const rounds = Number(process.env.BENCH_SCANS ?? 40);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 4);

const pki = makeTestPki('bench.test');
const headers = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=63072000',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const secure = await startTestServer({
  host: '127.0.0.5',
  tls: pki.leaf,
  routes: {
    '/': { headers, body: `<!doctype html><title>b</title>${'<p>text</p>'.repeat(2000)}` },
  },
});
const plain = await startTestServer({
  host: '127.0.0.5',
  routes: {
    '*': (request, response) =>
      response
        .writeHead(301, { location: `https://bench.test:${secure.port}${request.url}` })
        .end(),
  },
});
const options = {
  policy: loopbackPolicy(),
  resolver: resolverFor({ 'bench.test': '127.0.0.5' }),
  ca: pki.ca,
  ports: { http: plain.port },
};
const target = `https://bench.test:${secure.port}/`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

// Warm-up: JIT, the HSTS snapshot load, the first TLS contexts.
for (let index = 0; index < 3; index++) await scanUrl(target, options);

const latencies: number[] = [];
for (let index = 0; index < rounds; index++) {
  const started = performance.now();
  const { report } = await scanUrl(target, options);
  latencies.push(performance.now() - started);
  if (report.error) throw new Error(`scan failed: ${report.error}`);
}
latencies.sort((a, b) => a - b);

const total = rounds * 2;
let next = 0;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next++ < total) await scanUrl(target, options);
  }),
);
const seconds = (performance.now() - started) / 1000;

await Promise.all([secure.close(), plain.close()]);
const ms = (value: number) => `${value.toFixed(0)} ms`;
console.log(`single scan of a local site (${rounds} scans, one at a time):`);
console.log(
  `  p50 ${ms(percentile(latencies, 50))}  p95 ${ms(percentile(latencies, 95))}  max ${ms(latencies.at(-1)!)}`,
);
console.log(`throughput, ${concurrency} concurrent scans in one process (${total} scans):`);
console.log(`  ${(total / seconds).toFixed(1)} scans/s`);
