import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';

type SentryConfig = Pick<Config, 'sentryDsn' | 'env' | 'version'>;

/** Sentry runs only when SENTRY_DSN is set, and never under tests: nothing leaves the machine. */
export const sentryEnabled = (config: SentryConfig) =>
  Boolean(config.sentryDsn) && config.env !== 'test';

/**
 * Loaded lazily so a deployment without Sentry never imports it. Called once per process at
 * boot (main.ts); errors thrown in workers and unhandled rejections are reported from then on.
 * No request bodies, cookies, user details or credentials headers are sent.
 */
export async function initSentry(config: SentryConfig): Promise<void> {
  if (!sentryEnabled(config)) return;
  const Sentry = await import('@sentry/node');
  Sentry.init({
    dsn: config.sentryDsn,
    environment: config.env,
    release: config.version,
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpBodies: [],
      httpHeaders: { request: { deny: ['authorization', 'cookie', 'x-api-key', 'x-csrf-token'] } },
    },
    tracesSampleRate: 0,
  });
}

/** Reports 5xx errors of HTTP requests (4xx are the client's business, not an incident). */
export async function reportHttpErrorsToSentry(app: FastifyInstance, config: SentryConfig) {
  if (!sentryEnabled(config)) return;
  const Sentry = await import('@sentry/node');
  Sentry.setupFastifyErrorHandler(app);
}
