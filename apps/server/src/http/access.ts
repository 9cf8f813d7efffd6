import type { UserRole } from '@bastion/contract';

/**
 * Who may call a route. Every route declares it in `config.access` next to its handler; the app
 * refuses to start when one does not (see app.ts), so nothing is public by accident.
 * The accounts module enforces it in one onRequest hook.
 */
export type RouteAccess = 'public' | 'authenticated' | 'staff' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** API-token scopes accepted in place of a session, e.g. `['leads:read']`. */
    scopes?: string[];
    /**
     * `false` on public routes that never look at the caller (health probes, docs, static files):
     * credentials are then not even resolved, which keeps probes free of database lookups and
     * unaffected by a stale cookie or key a client happens to send.
     */
    identify?: boolean;
  }
}

const ACCESS_RANK: Record<RouteAccess, number> = {
  public: 0,
  authenticated: 1,
  staff: 2,
  admin: 3,
};
const ROLE_RANK: Record<UserRole, number> = { user: 1, staff: 2, admin: 3 };

/** Whether a caller with `role` (null: anonymous) may call a route declaring `access`. */
export function roleSatisfies(role: UserRole | null, access: RouteAccess): boolean {
  return ACCESS_RANK[access] === 0 || (role !== null && ROLE_RANK[role] >= ACCESS_RANK[access]);
}

/** Whether `role` is `least` or above (user < staff < admin). */
export function roleAtLeast(role: UserRole | null, least: UserRole): boolean {
  return role !== null && ROLE_RANK[role] >= ROLE_RANK[least];
}
