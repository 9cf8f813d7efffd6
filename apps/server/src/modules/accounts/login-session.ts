import type { UserRole } from '@bastion/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, createSession, destroySession, sessionCookieNames } from './sessions.js';
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
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: app.config.isProduction,
    expires: expiresAt,
  };
  reply.setCookie(names.session, token, { ...common, httpOnly: true });
  // Readable by the SPA on purpose: it echoes the value in X-CSRF-Token.
  reply.setCookie(names.csrf, csrfTokenFor(app.config.secretKey, token), {
    ...common,
    httpOnly: false,
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
  reply.clearCookie(names.session, { path: '/' });
  reply.clearCookie(names.csrf, { path: '/' });
}
