import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RouteOptions } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { pino } from 'pino';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import './http/access.js';
import { RequestLog } from './http/request-log.js';
import { requestId } from './logger.js';
import { modules as allModules } from './modules/index.js';
import { installModules, moduleScopes } from './modules/install.js';
import type { ModuleManifest } from './modules/manifest.js';
import { authPlugin } from './plugins/auth.js';
import { contextPlugin } from './plugins/context.js';
import { corsPlugin } from './plugins/cors.js';
import { errorsPlugin, frameworkErrorHandler } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { reportHttpErrorsToSentry } from './plugins/sentry.js';
import { openapiPlugin } from './plugins/openapi.js';
import { opsAllowlistPlugin } from './plugins/ops-allowlist.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { requestBodyPlugin } from './plugins/request-body.js';
import { securityHeadersPlugin } from './plugins/security-headers.js';
import { webPlugin } from './plugins/web.js';

/** Fastify takes a hop count as a function: trust the nearest `hops` proxies. */
function trustProxy(value: Config['trustProxy']) {
  return typeof value === 'number' ? (_address: string, hop: number) => hop < value : value;
}

export interface AppOptions {
  config: Config;
  database: DatabaseHandle;
  /** The process logger (main.ts); tests leave it out to stay quiet. */
  logger?: FastifyBaseLogger;
  /** The modules to serve (default: every module of `modules/index.ts`). */
  modules?: readonly ModuleManifest[];
}

/**
 * Composes the whole HTTP application. It does not listen: main.ts does that, and tests call
 * `app.inject()` on the instance this returns.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const modules = options.modules ?? allModules;
  installModules(modules);
  const scopes = moduleScopes(modules);
  const app = Fastify({
    loggerInstance: options.logger ?? pino({ level: 'silent' }),
    genReqId: (request) => requestId(request.headers['x-request-id']),
    logController: new RequestLog(),
    trustProxy: trustProxy(config.trustProxy),
    bodyLimit: 1_048_576,
    // Idle keep-alive sockets must not hold a graceful shutdown open.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    frameworkErrors: frameworkErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every route must say who may call it (config.access) and accept only scopes some module
  // declares; checked once all routes exist, so a mistake stops the start, not a request.
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    const name = (route: RouteOptions) => `${String(route.method)} ${route.url}`;
    const undeclared = routes.filter((route) => !route.config?.access).map(name);
    if (undeclared.length > 0) {
      throw new Error(`Routes without config.access: ${undeclared.join(', ')}`);
    }
    const unknownScopes = routes.flatMap((route) =>
      (route.config?.scopes ?? [])
        .filter((scope) => !(scope in scopes))
        .map((scope) => `${name(route)} (${scope})`),
    );
    if (unknownScopes.length > 0) {
      throw new Error(`Routes with scopes no module declares: ${unknownScopes.join(', ')}`);
    }
  });

  // Hooks on every request are callback-style: no promise per request on the hot path.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });

  await app.register(contextPlugin, { config, database: options.database });
  await app.register(errorsPlugin, { exposeInternalErrors: !config.isProduction });
  await app.register(requestBodyPlugin);
  await app.register(metricsPlugin, { token: config.metricsToken });
  await reportHttpErrorsToSentry(app, config);
  await app.register(securityHeadersPlugin, { production: config.isProduction });
  // Before the docs and every module (it marks their routes) and before auth (it refuses first).
  await app.register(opsAllowlistPlugin);
  await app.register(openapiPlugin, { version: config.version });
  // CORS answers preflights first; then who is calling (and CSRF, route access); then limits.
  await app.register(corsPlugin);
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);

  // Each module's app-wide plugins first (e.g. `app.jobs`), so any module's routes can use them.
  for (const module of modules) {
    for (const plugin of module.plugins ?? []) await app.register(plugin);
  }
  for (const module of modules) if (module.routes) await app.register(module.routes);

  if (config.serveWeb) await app.register(webPlugin, { distDir: config.webDistDir });
  return app;
}
