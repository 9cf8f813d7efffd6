import type { ErrorResponse, FieldError } from '@bastion/contract';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isConnectionError } from '../db/errors.js';
import { safeErrorMessage } from '../error-serializer.js';
import { HttpError } from '../http/errors.js';

/** Seconds a client is asked to wait when a backing service is down: restarts take seconds. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

/** Fastify's own client errors, mapped to stable codes. */
const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_request',
  FST_ERR_RATE_LIMIT_EXCEEDED: 'rate_limited',
};

export function sendError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  details?: FieldError[],
) {
  const body: ErrorResponse = {
    error: { code, message, ...(details ? { details } : {}), requestId: String(reply.request.id) },
  };
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

function validationDetails(error: FastifyError): FieldError[] {
  if (hasZodFastifySchemaValidationErrors(error)) {
    return error.validation.map((issue) => ({
      path: issue.instancePath.split('/').filter(Boolean),
      message: issue.message ?? 'Invalid value',
      code: issue.keyword,
    }));
  }
  return (error.validation ?? []).map((issue) => ({
    path: issue.instancePath.split('/').filter(Boolean),
    message: issue.message ?? 'Invalid value',
  }));
}

/**
 * Fastify's `frameworkErrors` option: errors raised before a route is found (a malformed URL
 * such as a lone `%`, an over-long path parameter). Without it Fastify writes its own body;
 * with it they get the one shape, the request id and the security headers like every answer
 * (no onRequest hook runs for them, so both are set here).
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  void reply.header('x-request-id', request.id);
  if (request.server.hasDecorator('securityHeadersFor')) {
    void reply.headers(request.server.securityHeadersFor(request.url));
  }
  if (error.code === 'FST_ERR_BAD_URL') {
    return sendError(reply, 400, 'bad_url', 'The URL is malformed (is a % not escaped?).');
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return sendError(reply, 414, 'uri_too_long', 'A path segment of the URL is too long.');
  }
  request.log.error({ err: error }, 'request failed before routing');
  return sendError(reply, 500, 'internal_error', 'Internal server error.');
}

/**
 * One error shape for everything: `{error: {code, message, details?, requestId}}`.
 * 4xx carry what the client needs to fix the request; 5xx never reveal internals in production.
 */
export const errorsPlugin = fp(
  async (app: FastifyInstance, options: { exposeInternalErrors: boolean }) => {
    app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      if (error instanceof HttpError) {
        if (error.headers) void reply.headers(error.headers);
        // Every 429 tells the client when to come back.
        if (error.statusCode === 429 && !reply.hasHeader('retry-after')) {
          void reply.header('retry-after', '60');
        }
        return sendError(reply, error.statusCode, error.code, error.message, error.details);
      }
      if (error.validation) {
        return sendError(
          reply,
          400,
          'validation_failed',
          `Invalid ${error.validationContext ?? 'request'}.`,
          validationDetails(error),
        );
      }
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) {
        if (status === 429)
          void reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
        const code = FASTIFY_CODES[error.code] ?? 'bad_request';
        return sendError(reply, status, code, error.message);
      }
      // The database (or another backing service) is down or restarting: nothing is wrong with
      // the request, and the same request succeeds once the pool reconnects (it does by itself).
      if (isConnectionError(error)) {
        request.log.warn({ err: error }, 'request failed: service unavailable');
        void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
        return sendError(
          reply,
          503,
          'service_unavailable',
          'The service is temporarily unavailable; try again in a few seconds.',
        );
      }
      request.log.error({ err: error }, 'request failed');
      const message = options.exposeInternalErrors
        ? `Internal server error: ${safeErrorMessage(error)}`
        : 'Internal server error.';
      return sendError(reply, 500, 'internal_error', message);
    });

    app.setNotFoundHandler((request, reply) =>
      sendError(
        reply,
        404,
        'not_found',
        `No route for ${request.method} ${request.url.split('?')[0]}.`,
      ),
    );
  },
  { name: 'errors' },
);
