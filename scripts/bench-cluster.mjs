#!/usr/bin/env node
// Runs the built API server (`dist/main.js web`) in N processes sharing one port through
// node:cluster, as the benchmark's node-raw peer does (2 workers on 2 cores). Used by
// scripts/bench.sh; WEB_WORKERS sets N (default: the number of CPUs).
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const workers = Number(process.env.WEB_WORKERS ?? availableParallelism());

cluster.setupPrimary({ exec: join(root, 'apps/server/dist/main.js'), args: ['web'] });
let stopping = false;
for (let i = 0; i < workers; i++) cluster.fork();
cluster.on('exit', (worker, code) => {
  if (!stopping) {
    // A crash must be visible in the benchmark, not papered over by a restart.
    console.error(`bench-cluster: worker ${worker.process.pid} exited (${code}); stopping`);
    stop();
  }
  if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
});
function stop() {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
