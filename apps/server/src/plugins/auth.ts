import cookie from '@fastify/cookie';
import type { UserRole } from '@bastion/contract';
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { roleSatisfies } from '../http/access.js';
import { HttpError, forbidden, unauthorized } from '../http/errors.js';
import { safeEqual } from '../modules/accounts/crypto.js';
import { resolveApiKey, resolveApiToken } from '../modules/accounts/credentials.js';
import type { UserRow } from '../modules/accounts/schema.js';
import {
  csrfTokenFor,
  resolveSession,
  sessionCookieNames,
  sessionCookieOptions,
} from '../modules/accounts/sessions.js';

/** Who is calling. Filled in for every request before any handler runs. */
export interface RequestAuth {
  kind: 'session' | 'token' | 'api_key' | 'anonymous';
  /** The acting user (session or API token); null for API keys and anonymous callers. */
  userId: string | null;
  role: UserRole | null;
  /** Scopes of the API token or key; empty for sessions (they are bound by role instead). */
  scopes: string[];
  apiTokenId: string | null;
  apiKeyId: string | null;
  /** The session cookie value, for logout and "other sessions" (never logged or sent). */
  sessionToken: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated user, or null. Routes with access ≠ public may rely on it being set. */
    user: UserRow | null;
    auth: RequestAuth;
  }
}

const ANONYMOUS: RequestAuth = {
  kind: 'anonymous',
  userId: null,
  role: null,
  scopes: [],
  apiTokenId: null,
  apiKeyId: null,
  sessionToken: null,
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const csrfFailed = (message: string) => new HttpError(403, 'csrf_failed', message);

function originOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return 'null';
  }
}

/**
 * The one enforcement point of authentication, CSRF and route access, as an onRequest hook:
 * 1. resolve the caller from `Authorization: Bearer|Api-Key` or the session cookie;
 * 2. for state-changing requests from browsers: Origin/Referer must be an allowed origin, and a
 *    cookie-authenticated request must carry the session's CSRF token in `X-CSRF-Token`
 *    (token and key requests carry no ambient credentials, so they are exempt);
 * 3. the route's `config.access` / `config.scopes`: 401 without credentials, 403 without rights.
 */
export const authPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(cookie, { hook: 'onRequest' });
    const cookies = sessionCookieNames(app.config);
    const allowedOrigins = new Set([
      new URL(app.config.publicUrl).origin,
      ...app.config.allowedOrigins.map((origin) => originOf(origin)),
    ]);

    app.decorateRequest('user', null);
    app.decorateRequest('auth', null as unknown as RequestAuth);

    async function authenticate(request: FastifyRequest, reply: FastifyReply) {
      request.auth = ANONYMOUS;
      const header = request.headers.authorization;
      if (header) {
        const [scheme, value] = header.split(/\s+/, 2) as [string, string | undefined];
        if (scheme.toLowerCase() === 'bearer' && value) {
          const found = await resolveApiToken(app.db, value);
          if (!found) throw unauthorized('Invalid or expired API token.');
          request.user = found.user;
          request.auth = {
            ...ANONYMOUS,
            kind: 'token',
            userId: found.user.id,
            role: found.user.role as UserRole,
            scopes: found.token.scopes,
            apiTokenId: found.token.id,
          };
          return;
        }
        if (scheme.toLowerCase() === 'api-key' && value) {
          const key = await resolveApiKey(app.db, value);
          if (!key) throw unauthorized('Invalid or expired API key.');
          request.auth = { ...ANONYMOUS, kind: 'api_key', scopes: key.scopes, apiKeyId: key.id };
          return;
        }
        throw unauthorized('Unsupported Authorization scheme; use Bearer or Api-Key.');
      }
      const token = request.cookies[cookies.session];
      if (!token) return;
      const found = await resolveSession(app.db, app.config, token);
      if (!found) {
        // A stale cookie: drop it so the browser stops sending it.
        reply.clearCookie(cookies.session, sessionCookieOptions(app.config, 'session'));
        return;
      }
      request.user = found.user;
      request.auth = {
        ...ANONYMOUS,
        kind: 'session',
        userId: found.user.id,
        role: found.user.role as UserRole,
        sessionToken: token,
      };
    }

    function checkCsrf(request: FastifyRequest) {
      if (SAFE_METHODS.has(request.method)) return;
      if (request.auth.kind === 'token' || request.auth.kind === 'api_key') return;
      const origin = originOf(request.headers.origin) ?? originOf(request.headers.referer);
      if (origin !== undefined) {
        const sameHost = originOf(`${request.protocol}://${request.host}`);
        if (origin !== sameHost && !allowedOrigins.has(origin)) {
          throw csrfFailed(`Cross-origin request from ${origin} refused.`);
        }
      }
      if (request.auth.kind !== 'session') return;
      const sent = request.headers['x-csrf-token'];
      const expected = csrfTokenFor(app.config.secretKey, request.auth.sessionToken!);
      if (typeof sent !== 'string' || !safeEqual(sent, expected)) {
        throw csrfFailed('Missing or invalid CSRF token (X-CSRF-Token header).');
      }
    }

    function checkAccess(request: FastifyRequest, config: FastifyContextConfig | undefined) {
      // The not-found handler has no access of its own; its 404 tells nothing away.
      const { access = 'public', scopes = [] } = config ?? {};
      if (access === 'public') return;
      const auth = request.auth;
      if (auth.kind === 'anonymous') throw unauthorized();
      if (auth.kind === 'token' || auth.kind === 'api_key') {
        if (!scopes.some((scope) => auth.scopes.includes(scope))) {
          throw forbidden(
            scopes.length === 0
              ? 'This endpoint is not available to API tokens or keys.'
              : `This endpoint needs one of the scopes: ${scopes.join(', ')}.`,
          );
        }
        // A token acts as its user: it never exceeds what the user's role allows.
        if (auth.kind === 'token' && !roleSatisfies(auth.role, access)) throw forbidden();
        return;
      }
      if (!roleSatisfies(auth.role, access)) throw forbidden();
    }

    app.addHook('onRequest', async (request, reply) => {
      // Read once: Fastify builds a new routeOptions object on every access.
      const config = request.routeOptions.config;
      if (config?.identify === false) {
        request.auth = ANONYMOUS;
        return;
      }
      await authenticate(request, reply);
      checkCsrf(request);
      checkAccess(request, config);
    });
  },
  { name: 'auth', dependencies: ['context'] },
);
