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
