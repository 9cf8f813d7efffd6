import type { FieldError } from '@bastion/contract';

/**
 * An error meant for the client: its status, code and message are shown as they are.
 * Anything else thrown in a handler becomes a generic 500 whose detail stays in the logs.
 */
export class HttpError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: string,
    message: string,
    public readonly details?: FieldError[],
    /** Headers the answer must carry, e.g. `Retry-After` on a 429. */
    public readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound = (what = 'Resource') =>
  new HttpError(404, 'not_found', `${what} not found.`);

export const badRequest = (message: string, details?: FieldError[]) =>
  new HttpError(400, 'validation_failed', message, details);

export const unauthorized = (message = 'Authentication required.') =>
  new HttpError(401, 'unauthorized', message);

export const forbidden = (message = 'You do not have permission to do this.') =>
  new HttpError(403, 'forbidden', message);

export const conflict = (message: string, details?: FieldError[]) =>
  new HttpError(409, 'conflict', message, details);

/** One field's error, for checks that only the service layer can make (e.g. "email taken"). */
export const fieldError = (field: string, message: string, code = 'invalid') =>
  badRequest('Some fields are invalid.', [{ path: [field], message, code }]);

/** 429 with the `Retry-After` (seconds) the client must wait; the message should say it too. */
export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new HttpError(429, 'rate_limited', message, undefined, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
