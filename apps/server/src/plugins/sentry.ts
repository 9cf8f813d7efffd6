import type { ErrorEvent, EventHint, Exception } from '@sentry/node';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import { isConnectionError } from '../db/errors.js';
import { errorType, safeErrorMessage } from '../error-serializer.js';

type SentryConfig = Pick<Config, 'sentryDsn' | 'env' | 'version'>;

/** Sentry runs only when SENTRY_DSN is set, and never under tests: nothing leaves the machine. */
export const sentryEnabled = (config: SentryConfig) =>
  Boolean(config.sentryDsn) && config.env !== 'test';

/** The error an exception of the event was made from (Sentry links causes and groups by id). */
function originalOf(exception: Exception, byId: Map<number, unknown>): unknown {
  const { exception_id: id, parent_id: parentId, source } = exception.mechanism ?? {};
  if (id === undefined || id === 0 || parentId === undefined || !source) return byId.get(0);
  const parent = byId.get(parentId) as Record<string, unknown> | undefined;
  if (!parent) return undefined;
  const item = /^errors\[(\d+)\]$/.exec(source);
  if (item) return (parent.errors as unknown[] | undefined)?.[Number(item[1])];
  return source === 'cause' || source === 'error' || source === 'suppressed'
    ? parent[source]
    : undefined;
}

/**
 * Every exception of an event gets the same safe message as the logs (error-serializer.ts):
 * Drizzle's "Failed query … params: …" and PostgreSQL's quoted values never leave the process.
 * The query string of the request URL goes too (searches and filters hold emails and names).
 */
export function scrubSentryEvent(event: ErrorEvent, hint: EventHint): ErrorEvent {
  const values = event.exception?.values ?? [];
  const byId = new Map<number, unknown>([[0, hint.originalException]]);
  // Parents have smaller ids than their children: resolve in id order.
  const ordered = [...values].sort(
    (a, b) => (a.mechanism?.exception_id ?? 0) - (b.mechanism?.exception_id ?? 0),
  );
  for (const exception of ordered) {
    const original = originalOf(exception, byId);
    byId.set(exception.mechanism?.exception_id ?? 0, original);
    exception.value = original === undefined ? '[withheld]' : safeErrorMessage(original);
    if (original instanceof Error) exception.type = errorType(original);
  }
  if (event.request) {
    delete event.request.query_string;
    if (event.request.url) event.request.url = event.request.url.split('?')[0];
    delete event.request.data;
  }
  return event;
}

/**
 * Which errors of HTTP requests become Sentry events: 5xx, except a backing service being away
 * (answered 503 + Retry-After). An outage fails every request for its duration: one event per
 * request would flood the project's quota, and the outage shows where it belongs — `/api/ready`,
 * the 503 rate on /metrics and one `warn` line per request in the log.
 */
export function reportsToSentry(error: Error): boolean {
  if (isConnectionError(error)) return false;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status !== 'number' || status >= 500;
}

/**
 * Loaded lazily so a deployment without Sentry never imports it. Called once per process at
 * boot (main.ts); errors thrown in workers and unhandled rejections are reported from then on.
 * No request bodies, cookies, user details, credentials headers, query parameters or row values
 * are sent (scrubSentryEvent).
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
    integrations: [Sentry.fastifyIntegration({ shouldHandleError: reportsToSentry })],
    beforeSend: scrubSentryEvent,
    // Console output can hold anything (a startup failure prints the error whole).
    beforeBreadcrumb: (breadcrumb) => (breadcrumb.category === 'console' ? null : breadcrumb),
  });
}

/**
 * Reports 5xx errors of HTTP requests (4xx are the client's business, not an incident). With
 * Sentry 11 the fastify integration that initSentry configures (reportsToSentry) does the work.
 */
export async function reportHttpErrorsToSentry(app: FastifyInstance, config: SentryConfig) {
  if (!sentryEnabled(config)) return;
  const Sentry = await import('@sentry/node');
  Sentry.setupFastifyErrorHandler(app);
}
