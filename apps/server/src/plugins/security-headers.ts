import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Helmet options merged over the app's for this route (the API docs pages use it). */
    securityHeaders?: HelmetOptions;
  }
  interface FastifyInstance {
    /** The headers an answer to `url` carries, for answers given outside the hooks. */
    securityHeadersFor(url: string): Record<string, string>;
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

/**
 * JSON answers get the set OWASP's REST Security Cheat Sheet lists for APIs, with the strictest
 * CSP (`default-src 'none'`: a JSON body never loads anything, and rendered as a page it could not
 * run or embed anything either). The document-only headers (COOP, Origin-Agent-Cluster,
 * Permissions-Policy, DNS prefetch) and the legacy IE/Flash ones do nothing on JSON and made up
 * most of each answer's bytes, so API answers leave them out. API answers are also per-user
 * (sessions, tokens): no shared or browser cache may keep them; a route that sets its own
 * cache-control later (exports) replaces this one.
 */
function apiHeaders(production: boolean): HeaderSet {
  return {
    ...helmetHeaders({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      },
      strictTransportSecurity: baseOptions(production).strictTransportSecurity,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      xFrameOptions: { action: 'deny' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginOpenerPolicy: false,
      crossOriginEmbedderPolicy: false,
      originAgentCluster: false,
      xDnsPrefetchControl: false,
      xDownloadOptions: false,
      xPermittedCrossDomainPolicies: false,
      xXssProtection: false,
    }),
    'cache-control': 'no-store',
  };
}

/** Documents (the SPA, the API docs): helmet's full set under the app's strict CSP. */
function pageHeaders(options: HelmetOptions): HeaderSet {
  return { ...helmetHeaders(options), 'permissions-policy': PERMISSIONS_POLICY };
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
    const api = apiHeaders(options.production);
    const page = pageHeaders(base);
    // Routes with their own options (the docs pages): computed on first use, kept per options object.
    const perRoute = new WeakMap<HelmetOptions, HeaderSet>();
    const pageFor = (override: HelmetOptions) => {
      let headers = perRoute.get(override);
      if (!headers) {
        // HelmetOptions is a union (modern and legacy option names); a spread widens it.
        headers = pageHeaders({ ...base, ...override } as HelmetOptions);
        perRoute.set(override, headers);
      }
      return headers;
    };
    app.decorate('securityHeadersFor', (url: string) => (isApi(url) ? api : page));
    app.addHook('onRequest', (request, reply, done) => {
      const override = request.routeOptions.config?.securityHeaders;
      if (override) reply.headers(pageFor(override));
      else reply.headers(isApi(request.url) ? api : page);
      done();
    });
  },
  { name: 'security-headers' },
);
