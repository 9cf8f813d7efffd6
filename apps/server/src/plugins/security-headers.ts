import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Helmet options merged over the app's for this route (the API docs pages use it). */
    securityHeaders?: HelmetOptions;
  }
}

type HeaderSet = Record<string, string>;

const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()';

/**
 * Runs helmet's middleware once against a recording response and returns the headers it set.
 * Helmet's output depends only on its options (no nonces here), so computing it per route at
 * startup gives the same headers as running it per request, without the per-request cost.
 */
function helmetHeaders(options: HelmetOptions): HeaderSet {
  const headers: HeaderSet = {};
  const response = {
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  } as unknown as ServerResponse;
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response, (error?: unknown) => (failure = error));
  if (failure) throw failure;
  return headers;
}

function baseOptions(production: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where TLS is guaranteed; on http://localhost it would pin the browser to https.
    strictTransportSecurity: production
      ? { maxAge: 63_072_000, includeSubDomains: true, preload: false }
      : false,
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    crossOriginEmbedderPolicy: false,
    xFrameOptions: { action: 'deny' },
  };
}

/** The two variants of one route's headers: API answers also forbid caching. */
function headerSets(options: HelmetOptions) {
  const page = { ...helmetHeaders(options), 'permissions-policy': PERMISSIONS_POLICY };
  // API answers are per-user (sessions, tokens): no shared or browser cache may keep them. A
  // route that sets its own cache-control later (exports, docs assets) replaces this one.
  return { page, api: { ...page, 'cache-control': 'no-store' } };
}

const isApi = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');

/**
 * Strict headers (helmet) on every response, set in the first onRequest hook so error answers
 * carry them too. The SPA is built to run under this CSP (no inline scripts or styles), so nothing
 * is relaxed for it; only the API docs pages get a looser per-route policy.
 */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, options: { production: boolean }) => {
    const base = baseOptions(options.production);
    const defaults = headerSets(base);
    // Routes with their own options (the docs pages): computed on first use, kept per options object.
    const perRoute = new WeakMap<HelmetOptions, ReturnType<typeof headerSets>>();
    const setsFor = (override: HelmetOptions) => {
      let sets = perRoute.get(override);
      if (!sets) {
        // HelmetOptions is a union (modern and legacy option names); a spread widens it.
        sets = headerSets({ ...base, ...override } as HelmetOptions);
        perRoute.set(override, sets);
      }
      return sets;
    };
    app.addHook('onRequest', (request, reply, done) => {
      const override = request.routeOptions.config?.securityHeaders;
      const sets = override ? setsFor(override) : defaults;
      reply.headers(isApi(request.url) ? sets.api : sets.page);
      done();
    });
  },
  { name: 'security-headers' },
);
