import { healthResponseSchema } from '@bastion/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api } from './client';

function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

const fetchMock = vi.fn<typeof fetch>();

function lastCall() {
  const [url, init] = fetchMock.mock.calls.at(-1) ?? [];
  return { url: String(url), init: init ?? {}, headers: new Headers(init?.headers) };
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  document.cookie = 'bastion_csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/';
});

describe('api client', () => {
  it('sends GET requests under /api with same-origin credentials and returns the JSON body', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ items: [1, 2] }));

    const data = await api.get<{ items: number[] }>('/leads', { query: { page: 2, q: undefined } });

    expect(data).toEqual({ items: [1, 2] });
    const { url, init, headers } = lastCall();
    expect(url).toBe('/api/leads?page=2');
    expect(init.method).toBe('GET');
    expect(init.credentials).toBe('same-origin');
    expect(headers.get('Accept')).toBe('application/json');
    expect(init.body).toBeUndefined();
  });

  it('sends bodies as JSON', async () => {
    fetchMock.mockResolvedValue(jsonResponse({ id: 1 }, 201));

    await api.post('/leads', { body: { email: 'a@example.com' } });

    const { init, headers } = lastCall();
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"email":"a@example.com"}');
    expect(headers.get('Content-Type')).toBe('application/json');
  });

  it('returns undefined for an empty 204 response', async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    await expect(api.delete('/leads/1')).resolves.toBeUndefined();
  });

  it('adds the CSRF token from the bastion_csrf cookie to non-GET requests only', async () => {
    document.cookie = 'bastion_csrf=tok%2Ben; path=/';
    fetchMock.mockImplementation(async () => jsonResponse({}));

    await api.patch('/me', { body: { name: 'Ada' } });
    expect(lastCall().headers.get('X-CSRF-Token')).toBe('tok+en');

    await api.get('/me');
    expect(lastCall().headers.has('X-CSRF-Token')).toBe(false);
  });

  it('sends no CSRF header when the cookie is absent', async () => {
    fetchMock.mockResolvedValue(jsonResponse({}));
    await api.delete('/sessions/current');
    expect(lastCall().headers.has('X-CSRF-Token')).toBe(false);
  });

  it('turns the contract error shape into an ApiError with field errors and request id', async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'Some fields are invalid',
            details: [
              { path: ['email'], message: 'Enter a valid email address' },
              { path: ['address', 'city'], message: 'Required' },
            ],
            requestId: 'req-42',
          },
        },
        400,
      ),
    );

    const error = await api.post('/leads', { body: {} }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    const apiError = error as ApiError;
    expect(apiError.status).toBe(400);
    expect(apiError.code).toBe('VALIDATION_FAILED');
    expect(apiError.message).toBe('Some fields are invalid');
    expect(apiError.requestId).toBe('req-42');
    expect(apiError.details).toHaveLength(2);
    expect(apiError.fieldErrors()).toEqual({
      email: 'Enter a valid email address',
      'address.city': 'Required',
    });
  });

  it('reports an unexpected error body as HTTP_ERROR with the status', async () => {
    fetchMock.mockResolvedValue(
      new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'x-request-id': 'r-1' } }),
    );

    await expect(api.get('/anything')).rejects.toMatchObject({
      status: 502,
      code: 'HTTP_ERROR',
      requestId: 'r-1',
    });
  });

  it('reads Retry-After of a 429 as seconds to wait', async () => {
    const body = { error: { code: 'cooldown', message: 'Wait a minute', requestId: 'r-2' } };
    fetchMock.mockResolvedValueOnce(jsonResponse(body, 429, { 'Retry-After': '42' }));
    await expect(api.post('/v1/anything')).rejects.toMatchObject({ status: 429, retryAfter: 42 });
    fetchMock.mockResolvedValueOnce(jsonResponse(body, 429));
    const error = await api.post('/v1/anything').catch((cause: unknown) => cause);
    expect((error as ApiError).retryAfter).toBeUndefined();
  });

  it('reports a network failure as NETWORK_ERROR with status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(api.get('/health')).rejects.toMatchObject({ status: 0, code: 'NETWORK_ERROR' });
  });

  it('validates responses against a schema when one is given', async () => {
    const health = { status: 'ok', database: 'healthy', version: '1.0.0', uptime: 12 };
    fetchMock.mockResolvedValueOnce(jsonResponse(health));
    await expect(api.get('/health', { schema: healthResponseSchema })).resolves.toEqual(health);

    fetchMock.mockResolvedValueOnce(jsonResponse({ status: 'maybe' }));
    await expect(api.get('/health', { schema: healthResponseSchema })).rejects.toMatchObject({
      code: 'INVALID_RESPONSE',
    });
  });

  it('treats statuses listed in acceptStatus as regular responses', async () => {
    const degraded = { status: 'degraded', database: 'unhealthy', version: '1.0.0', uptime: 3 };
    fetchMock.mockResolvedValue(jsonResponse(degraded, 503));

    const data = await api.get('/health', { schema: healthResponseSchema, acceptStatus: [503] });

    expect(data.status).toBe('degraded');
  });
});
