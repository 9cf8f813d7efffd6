import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type pg from 'pg';

/** Written by the roles that listen on no port (worker, scheduler), read by healthcheck.ts. */
export const heartbeatFile = (env: NodeJS.ProcessEnv = process.env) =>
  env.BASTION_HEARTBEAT_FILE || join(tmpdir(), 'bastion-heartbeat');

export const HEARTBEAT_INTERVAL_MS = 10_000;
/** A heartbeat older than this is a stuck or disconnected process. */
export const HEARTBEAT_MAX_AGE_MS = 45_000;

/**
 * Touches the heartbeat file every 10 s while the database answers: a worker or scheduler that
 * cannot reach PostgreSQL processes nothing, so its container should turn unhealthy, and one whose
 * event loop is stuck stops writing. Returns the stop function.
 */
export function startHeartbeat(pool: pg.Pool, logger: FastifyBaseLogger): () => void {
  const file = heartbeatFile();
  let failing = false;
  const beat = async () => {
    try {
      await pool.query('SELECT 1');
      await writeFile(file, `${new Date().toISOString()}\n`);
      if (failing) logger.info('heartbeat: database reachable again');
      failing = false;
    } catch (error) {
      if (!failing) logger.warn({ err: error }, 'heartbeat: not written (database or file)');
      failing = true;
    }
  };
  void beat();
  const timer = setInterval(() => void beat(), HEARTBEAT_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
