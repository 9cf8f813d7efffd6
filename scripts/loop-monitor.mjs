// Preloaded into a server by benchmarks (`node --import ./scripts/loop-monitor.mjs main.js`,
// spawned with an IPC channel): measures the event-loop delay inside that process with
// perf_hooks and answers the parent's messages, so a benchmark can read the figure of one phase.
//   'loop-monitor:reset' → starts a new phase
//   'loop-monitor:read'  → replies { type: 'loop-monitor', maxMs, p99Ms, meanMs }
import { monitorEventLoopDelay } from 'node:perf_hooks';

if (process.send) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  const ms = (ns) => Math.round(ns / 1e4) / 100;
  process.on('message', (message) => {
    if (message === 'loop-monitor:reset') histogram.reset();
    if (message === 'loop-monitor:read') {
      process.send({
        type: 'loop-monitor',
        maxMs: ms(histogram.max),
        p99Ms: ms(histogram.percentile(99)),
        meanMs: ms(histogram.mean),
      });
    }
  });
  // The IPC channel must not keep a stopping server alive.
  process.channel?.unref();
}
