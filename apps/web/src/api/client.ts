import { errorResponseSchema, type FieldError } from '@bastion/contract';

/** Anything with zod's `parse` (every contract schema): validates a response and types it. */
export interface ResponseSchema<T> {
  parse(data: unknown): T;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions<T> {
  /** Sent as JSON (a `FormData` body is sent as-is). */
  body?: unknown;
  query?: Record<string, QueryValue>;
  schema?: ResponseSchema<T>;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  /** Non-2xx statuses whose body is a regular response, e.g. `/health` answers 503 when degraded. */
  acceptStatus?: readonly number[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export const CSRF_COOKIE = 'bastion_csrf';
export const CSRF_HEADER = 'X-CSRF-Token';

/** Every failed request, whatever the cause: HTTP error, network failure or unexpected body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The server's code, or NETWORK_ERROR / TIMEOUT / HTTP_ERROR / INVALID_RESPONSE. */
    readonly code: string,
    message: string,
    readonly details: FieldError[] = [],
    readonly requestId?: string,
    /** Seconds to wait before asking again, from a 429's or 503's Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** Field errors keyed by their dotted path (`address.city`), ready for `<AppField :error>`. */
  fieldErrors(): Record<string, string> {
    const errors: Record<string, string> = {};
    for (const detail of this.details) {
      const key = detail.path.join('.');
      errors[key] ??= detail.message;
    }
    return errors;
  }
}

/** What to tell people about a failure: the server's or the client's words, else a generic line. */
export function describeFailure(error: unknown): string {
  return error instanceof ApiError ? error.message : 'Something went wrong. Please try again.';
}

export function readCookie(name: string): string | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = `${baseUrl}${path.startsWith('/') ? path : `/${path}`}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const search = params.toString();
  return search ? `${url}?${search}` : url;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Retry-After in seconds (the header may also be an HTTP date); undefined when absent. */
function retryAfterSeconds(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function toApiError(response: Response, body: unknown): ApiError {
  const parsed = errorResponseSchema.safeParse(body);
  const retryAfter = retryAfterSeconds(response);
  if (parsed.success) {
    const { code, message, details, requestId } = parsed.data.error;
    return new ApiError(response.status, code, message, details, requestId, retryAfter);
  }
  const requestId = response.headers.get('x-request-id') ?? undefined;
  const message = `Request failed with status ${response.status}`;
  return new ApiError(response.status, 'HTTP_ERROR', message, [], requestId, retryAfter);
}

/** The server's code for "no valid session" (other 401s, e.g. a wrong password, differ). */
export const UNAUTHENTICATED_CODE = 'unauthorized';

type UnauthorizedHandler = (error: ApiError) => void;
let unauthorizedHandler: UnauthorizedHandler | undefined;

/**
 * Registers the one app-wide reaction to "your session is gone" (see session-expiry.ts), so
 * every page gets it without its own checks. Returns a function that removes it.
 */
export function onUnauthorized(handler: UnauthorizedHandler): () => void {
  unauthorizedHandler = handler;
  return () => {
    if (unauthorizedHandler === handler) unauthorizedHandler = undefined;
  };
}

export function createApiClient(baseUrl = '/api') {
  async function request<T>(method: Method, path: string, options: RequestOptions<T> = {}) {
    const { body, query, schema, signal, acceptStatus = [] } = options;
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    const isForm = typeof FormData !== 'undefined' && body instanceof FormData;
    if (body !== undefined && !isForm) headers['Content-Type'] = 'application/json';
    if (method !== 'GET') {
      const token = readCookie(CSRF_COOKIE);
      if (token) headers[CSRF_HEADER] = token;
    }

    let response: Response;
    try {
      // Looked up per call so tests (and polyfills) can replace the global fetch.
      response = await globalThis.fetch(buildUrl(baseUrl, path, query), {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? undefined : isForm ? (body as FormData) : JSON.stringify(body),
        signal,
      });
    } catch (cause) {
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        if (reason instanceof DOMException && reason.name === 'TimeoutError') {
          throw new ApiError(0, 'TIMEOUT', 'The server took too long to respond');
        }
        throw cause; // Cancelled by the caller: nothing to report.
      }
      throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server');
    }

    const data = await readBody(response);
    if (!response.ok && !acceptStatus.includes(response.status)) {
      const error = toApiError(response, data);
      if (error.status === 401 && error.code === UNAUTHENTICATED_CODE) unauthorizedHandler?.(error);
      throw error; // The caller still sees the failure (e.g. to stop a spinner).
    }
    if (!schema) return data as T;
    try {
      return schema.parse(data);
    } catch {
      const requestId = response.headers.get('x-request-id') ?? undefined;
      const message = 'The server sent an unexpected response';
      throw new ApiError(response.status, 'INVALID_RESPONSE', message, [], requestId);
    }
  }

  return {
    get: <T = unknown>(path: string, options?: Omit<RequestOptions<T>, 'body'>) =>
      request<T>('GET', path, options),
    post: <T = unknown>(path: string, options?: RequestOptions<T>) =>
      request<T>('POST', path, options),
    put: <T = unknown>(path: string, options?: RequestOptions<T>) =>
      request<T>('PUT', path, options),
    patch: <T = unknown>(path: string, options?: RequestOptions<T>) =>
      request<T>('PATCH', path, options),
    delete: <T = unknown>(path: string, options?: RequestOptions<T>) =>
      request<T>('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** The app's one client. Paths are relative to `/api`: `api.get('/health')`. */
export const api = createApiClient();
