import { randomUUID } from 'node:crypto';
import { pino, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';
import { safeErrorMessage, serializeError } from './error-serializer.js';
import { batchedStdout, capLine } from './log-destination.js';

// What may travel in a client-supplied X-Request-Id (from a proxy or another service).
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuse a well-formed incoming request id so one id follows a request across services. */
export function requestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
}

const CENSOR = '[redacted]';
const SECRET_FIELDS = ['password', 'token'];

/** A copy of a log object whose nested `password` / `token` fields (one level down) read CENSOR. */
export function censorNestedSecrets(object: Record<string, unknown>): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (value === null || typeof value !== 'object') continue;
    const found = SECRET_FIELDS.filter((field) => Object.hasOwn(value, field));
    if (found.length === 0) continue;
    // Same prototype and property descriptors, so an Error keeps its message and stack.
    const censored = Object.create(
      Object.getPrototypeOf(value) as object | null,
      Object.getOwnPropertyDescriptors(value),
    ) as Record<string, unknown>;
    for (const field of found) censored[field] = CENSOR;
    copy ??= { ...object };
    copy[key] = censored;
  }
  return copy ?? object;
}

export function loggerOptions(
  config: Pick<Config, 'logLevel' | 'logFormat' | 'version'>,
): LoggerOptions {
  return {
    level: config.logLevel,
    base: { service: 'bastion', version: config.version },
    // Credentials never reach the logs, whichever plugin logs the request.
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-csrf-token"]',
        'req.headers["x-api-key"]',
        'res.headers["set-cookie"]',
      ],
      censor: CENSOR,
    },
    // `*.password` and `*.token`, without pino's wildcard redaction: that clones every value of
    // every line (about 5 KB and a tenth of a request's logging time, measured).
    formatters: { log: censorNestedSecrets },
    // Errors become type, safe message, code, stack frames and named fields (error-serializer.ts):
    // never a query's parameters, a row's values, or the objects an error drags along.
    serializers: { err: serializeError, error: serializeError },
    hooks: {
      // `log.error(err)` and `log.error({ err })` without a message take the error's own message
      // as `msg`, and Fastify's fallback handler passes it explicitly; that is where Drizzle lists
      // the query parameters: take the safe one instead.
      logMethod(args, method) {
        const first = args[0] as { err?: unknown } | null;
        if (typeof first === 'object' && first !== null && args.length <= 2) {
          const err = first instanceof Error ? first : first.err;
          if (err instanceof Error && (args.length === 1 || args[1] === err.message)) {
            return method.call(
              this,
              first instanceof Error ? { err } : first,
              safeErrorMessage(err),
            );
          }
        }
        return method.apply(this, args);
      },
      streamWrite: capLine,
    },
    ...(config.logFormat === 'pretty'
      ? {
          transport: {
            target: 'pino-pretty',
            options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,service,version' },
          },
        }
      : {}),
  };
}

/** One pino instance per process, shared by the server, the worker, the scheduler and the CLI. */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat' | 'version'>): Logger {
  const options = loggerOptions(config);
  if (config.logFormat === 'pretty') return pino(options);
  return pino(options, batchedStdout());
}
