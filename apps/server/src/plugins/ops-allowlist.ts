import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden } from '../http/errors.js';
import { OPS_REFUSAL_MESSAGE, clientAllowed, isOpsPath } from '../http/ops-allowlist.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * An operator surface (admin API, jobs API, API docs): only callers from ADMIN_ALLOWED_CIDRS
     * reach it when that is set. Set here for every route under http/ops-allowlist.ts's
     * OPS_PATHS; a route elsewhere may set it itself.
     */
    opsSurface?: boolean;
  }
}

/**
 * ADMIN_ALLOWED_CIDRS, enforced on the route a request matched (not on the raw URL, so
 * `//api/v1//admin` or a trailing slash changes nothing). Registered before the docs, the auth
 * plugin and every module: the onRoute hook then sees every route, and the onRequest hook
 * refuses before credentials are looked up, so a refused caller costs no database query and
 * learns nothing from a 401.
 */
export const opsAllowlistPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      if (isOpsPath(route.url)) route.config = { ...route.config, opsSurface: true };
    });

    const cidrs = app.config.adminAllowedCidrs;
    if (!cidrs) return;
    app.addHook('onRequest', (request, _reply, done) => {
      if (request.routeOptions.config?.opsSurface !== true || clientAllowed(request.ip, cidrs)) {
        done();
        return;
      }
      // The request log line already has method, path and status; the address stays out of the
      // logs as everywhere else (it is personal data), the request id ties the two together.
      request.log.warn('operator surface refused: client address outside ADMIN_ALLOWED_CIDRS');
      done(forbidden(OPS_REFUSAL_MESSAGE));
    });
  },
  { name: 'ops-allowlist', dependencies: ['context'] },
);
