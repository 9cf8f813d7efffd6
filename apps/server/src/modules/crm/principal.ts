import type { FastifyRequest } from 'fastify';

/**
 * Who is calling, as far as the CRM cares: the acting user (for timelines and ownership) and,
 * for machine clients, the API key (for the public-creation throttle). The auth plugin has
 * already authenticated the request and enforced the route's access and scopes.
 */
export interface CrmPrincipal {
  userId: string | null;
  apiKeyId: string | null;
}

export function principalOf(request: FastifyRequest): CrmPrincipal {
  // `auth` is always set by the auth plugin; optional chaining keeps bare test apps working.
  const auth = request.auth as FastifyRequest['auth'] | undefined;
  return { userId: auth?.userId ?? null, apiKeyId: auth?.apiKeyId ?? null };
}
