import type { UserRole } from '@bastion/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  csrfTokenFor,
  createSession,
  destroySession,
  sessionCookieNames,
  sessionCookieOptions,
} from './sessions.js';
import type { UserRow } from './schema.js';

/**
 * Signs `user` in on this browser: any session the request carried is destroyed and a new id is
 * issued (rotation, so a planted id never becomes an authenticated one), with its CSRF cookie.
 */
export async function startSession(request: FastifyRequest, reply: FastifyReply, user: UserRow) {
  const app = request.server;
  if (request.auth.sessionToken) await destroySession(app.db, request.auth.sessionToken);
  const { token, expiresAt } = await createSession(app.db, app.config, user.id, {
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  });
  const names = sessionCookieNames(app.config);
  reply.setCookie(names.session, token, {
    ...sessionCookieOptions(app.config, 'session'),
    expires: expiresAt,
  });
  reply.setCookie(names.csrf, csrfTokenFor(app.config.secretKey, token), {
    ...sessionCookieOptions(app.config, 'csrf'),
    expires: expiresAt,
  });
  request.user = user;
  request.auth = {
    ...request.auth,
    kind: 'session',
    userId: user.id,
    role: user.role as UserRole,
    sessionToken: token,
  };
  return token;
}

/** Destroys the request's session and clears both cookies. */
export async function endSession(request: FastifyRequest, reply: FastifyReply) {
  const app = request.server;
  if (request.auth.sessionToken) await destroySession(app.db, request.auth.sessionToken);
  const names = sessionCookieNames(app.config);
  reply.clearCookie(names.session, sessionCookieOptions(app.config, 'session'));
  reply.clearCookie(names.csrf, sessionCookieOptions(app.config, 'csrf'));
}
