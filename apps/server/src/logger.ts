import { randomUUID } from 'node:crypto';
import { pino, type Logger, type LoggerOptions } from 'pino';
import type { Config } from './config.js';

// What may travel in a client-supplied X-Request-Id (from a proxy or another service).
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Reuse a well-formed incoming request id so one id follows a request across services. */
export function requestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && REQUEST_ID.test(value) ? value : randomUUID();
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
        '*.password',
        '*.token',
      ],
      censor: '[redacted]',
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
  // Asynchronous writes to stdout: lines logged while a write is in flight go out together in the
  // next one, so a busy server makes far fewer write calls than lines. Nothing waits for a size
  // threshold (minLength 0), so an idle server's lines appear at once; pending lines are flushed
  // synchronously when the process exits (sonic-boom's exit hook, and main.ts on shutdown).
  return pino(options, pino.destination({ dest: 1, sync: false, minLength: 0 }));
}
