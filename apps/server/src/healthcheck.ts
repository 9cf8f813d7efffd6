// The container health check of every role (Dockerfile HEALTHCHECK):
//   web, all           GET /api/health answers 200 (liveness; readiness is /api/ready)
//   worker, scheduler  the heartbeat file (heartbeat.ts) was written less than 45 s ago
// Exit 0 healthy, 1 not. Plain Node: the slim image has no curl.
import { stat } from 'node:fs/promises';
import { HEARTBEAT_MAX_AGE_MS, heartbeatFile } from './heartbeat.js';

const role = process.argv[2] ?? process.env.BASTION_ROLE ?? 'all';

async function healthy(): Promise<boolean> {
  if (role === 'worker' || role === 'scheduler') {
    const { mtimeMs } = await stat(heartbeatFile());
    return Date.now() - mtimeMs < HEARTBEAT_MAX_AGE_MS;
  }
  const response = await fetch(`http://127.0.0.1:${process.env.PORT || 8000}/api/health`, {
    signal: AbortSignal.timeout(4000),
  });
  return response.ok;
}

healthy().then(
  (ok) => process.exit(ok ? 0 : 1),
  () => process.exit(1),
);
