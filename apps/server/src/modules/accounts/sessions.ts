import { and, eq, gt, like, lt, ne, or, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { hmac, randomToken, sha256 } from './crypto.js';
import { sessions, users, type SessionRow, type UserRow } from './schema.js';

/** lastSeenAt is written at most this often, so reads do not turn into writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface SessionCookies {
  session: string;
  csrf: string;
}

/** `__Host-` in production: the browser then insists on Secure, Path=/ and no Domain. */
export function sessionCookieNames(config: Pick<Config, 'isProduction'>): SessionCookies {
  return config.isProduction
    ? { session: '__Host-bastion_session', csrf: 'bastion_csrf' }
    : { session: 'bastion_session', csrf: 'bastion_csrf' };
}

/**
 * The attributes of both session cookies, for setting and for clearing alike: a browser only
 * replaces (or deletes) a cookie when the clearing `Set-Cookie` matches it, and it ignores any
 * `__Host-` cookie that comes without `Secure`. The CSRF cookie is readable by the SPA on purpose
 * (it echoes the value in `X-CSRF-Token`).
 */
export function sessionCookieOptions(
  config: Pick<Config, 'isProduction'>,
  which: keyof SessionCookies,
) {
  return {
    path: '/',
    sameSite: 'lax' as const,
    secure: config.isProduction,
    httpOnly: which === 'session',
  };
}

/**
 * The CSRF token of a session: an HMAC of its id. The SPA reads it from the `bastion_csrf`
 * cookie and echoes it in `X-CSRF-Token`; another site can neither read the cookie nor compute
 * the HMAC, and the token dies with the session.
 */
export function csrfTokenFor(secretKey: string, sessionToken: string): string {
  return hmac(secretKey, `csrf:${sessionToken}`);
}

/** A short public handle for listing and revoking sessions; never the cookie value itself. */
export function sessionHandle(row: Pick<SessionRow, 'idHash'>): string {
  return row.idHash.slice(0, 24);
}

export async function createSession(
  db: Database,
  config: Pick<Config, 'session'>,
  userId: string,
  client: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + config.session.maxAgeMs);
  await db.insert(sessions).values({
    idHash: sha256(token),
    userId,
    expiresAt,
    ip: client.ip,
    userAgent: client.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}

/** The live session and its active user for a cookie value, or null (expired ones are deleted). */
export async function resolveSession(
  db: Database,
  config: Pick<Config, 'session'>,
  token: string,
): Promise<{ session: SessionRow; user: UserRow } | null> {
  const idHash = sha256(token);
  const [found] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.idHash, idHash));
  if (!found) return null;
  const now = Date.now();
  const idleDeadline = found.session.lastSeenAt.getTime() + config.session.idleTimeoutMs;
  if (found.session.expiresAt.getTime() <= now || idleDeadline <= now || !found.user.isActive) {
    await db.delete(sessions).where(eq(sessions.idHash, idHash));
    return null;
  }
  if (now - found.session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(eq(sessions.idHash, idHash));
  }
  return found;
}

export async function destroySession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, sha256(token)));
}

/** Ends every session of a user, or every one but `keepToken`'s ("log out other sessions"). */
export async function destroyUserSessions(
  db: Pick<Database, 'delete'>,
  userId: string,
  keepToken?: string,
): Promise<void> {
  await db
    .delete(sessions)
    .where(
      keepToken
        ? and(eq(sessions.userId, userId), ne(sessions.idHash, sha256(keepToken)))
        : eq(sessions.userId, userId),
    );
}

export async function listUserSessions(
  db: Database,
  config: Pick<Config, 'session'>,
  userId: string,
): Promise<SessionRow[]> {
  const idleCutoff = new Date(Date.now() - config.session.idleTimeoutMs);
  return db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, userId),
        gt(sessions.expiresAt, new Date()),
        gt(sessions.lastSeenAt, idleCutoff),
      ),
    )
    .orderBy(sql`${sessions.lastSeenAt} desc`);
}

/** Revokes one of the user's sessions by its public handle; false when there is none. */
export async function revokeUserSession(
  db: Database,
  userId: string,
  handle: string,
): Promise<boolean> {
  if (!/^[0-9a-f]{24}$/.test(handle)) return false;
  const deleted = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), like(sessions.idHash, `${handle}%`)))
    .returning({ idHash: sessions.idHash });
  return deleted.length > 0;
}

/** Housekeeping: drop sessions past either expiry (a scheduled job can call this). */
export async function deleteExpiredSessions(
  db: Database,
  config: Pick<Config, 'session'>,
): Promise<number> {
  const idleCutoff = new Date(Date.now() - config.session.idleTimeoutMs);
  const deleted = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, new Date()), lt(sessions.lastSeenAt, idleCutoff)))
    .returning({ idHash: sessions.idHash });
  return deleted.length;
}
