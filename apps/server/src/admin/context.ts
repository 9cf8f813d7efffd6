import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { forbidden } from '../http/errors.js';
import type { AdminActor, AdminContext } from './define.js';

/** What every engine call gets: the hooks' context, plus what the engine itself needs. */
export interface EngineContext extends AdminContext {
  db: Database;
  /** Signs keyset cursors (the app's secret key). */
  cursorKey: string;
  /** Recorded with audit events. */
  ip: string | null;
  userAgent: string | null;
}

/** The acting user of an admin request: sessions and API tokens of staff/admins only. */
export function actorOf(request: FastifyRequest): AdminActor {
  const { userId, role } = request.auth;
  if (!userId || !role) throw forbidden('The admin is for signed-in staff and admins.');
  return { userId, role };
}

export function engineContext(
  request: FastifyRequest,
  app: { db: Database; config: Config; jobs: { enqueue: AdminContext['enqueue'] } },
): EngineContext {
  return {
    db: app.db,
    actor: actorOf(request),
    requestId: String(request.id),
    logger: request.log,
    config: app.config,
    enqueue: (job, data, options) => app.jobs.enqueue(job, data, options),
    cursorKey: app.config.secretKey,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
