import { eq } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { countAuditEvents, recordAudit } from '../audit/service.js';
import { sendMail, type MailContext } from '../mail/service.js';
import * as mails from './mails.js';
import { consumeToken, issueToken } from './one-time-tokens.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { users, type UserRow } from './schema.js';
import { assertPasswordPolicy, findUserByEmail, insertUser, normalizeEmail } from './users.js';

export interface FlowDeps extends MailContext {
  db: Database;
  config: Config;
}

/** Where a request came from, for the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** Failed logins per account within LOGIN_WINDOW_MS before further attempts get 429. */
export const LOGIN_FAILURES_PER_ACCOUNT = 10;
export const LOGIN_WINDOW_MS = 15 * 60_000;

export const link = (config: Config, path: string, token: string) =>
  `${config.publicUrl}${path}?token=${encodeURIComponent(token)}`;

export const invalidCredentials = () =>
  new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');

/**
 * Signup answers the same whether or not the email is taken (no account enumeration): a new
 * address gets a verification link, a known one a "you already have an account" notice.
 */
export async function signup(
  deps: FlowDeps,
  input: { email: string; password: string; displayName?: string | undefined },
  client: ClientInfo,
): Promise<void> {
  if (!deps.config.signupEnabled) {
    throw new HttpError(
      403,
      'signup_disabled',
      'Sign-up is closed; ask an administrator for an account.',
    );
  }
  assertPasswordPolicy(input.password, input.email);
  const existing = await findUserByEmail(deps.db, input.email);
  if (existing) {
    // The same argon2 work as the new-account path, so timing tells nothing either.
    await hashPassword(input.password);
    await sendMail(
      deps,
      mails.alreadyRegisteredMail(
        existing.email,
        `${deps.config.publicUrl}/login`,
        `${deps.config.publicUrl}/forgot-password`,
      ),
    );
    return;
  }
  const { user, token } = await deps.db.transaction(async (tx) => {
    const user = await insertUser(tx, {
      email: input.email,
      password: input.password,
      displayName: input.displayName ?? '',
    });
    const token = await issueToken(tx, 'verify_email', user.id, { email: user.email });
    await recordAudit(tx, {
      action: 'user.signup',
      actorId: user.id,
      target: `user:${user.id}`,
      ...client,
    });
    return { user, token };
  });
  await sendMail(
    deps,
    mails.verifyEmailMail(user.email, link(deps.config, '/verify-email', token)),
  );
}

/** Sends a fresh verification link to an unverified account; silent otherwise. */
export async function resendVerification(deps: FlowDeps, email: string): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.emailVerifiedAt || !user.isActive) return;
  const token = await issueToken(deps.db, 'verify_email', user.id, { email: user.email });
  await sendMail(
    deps,
    mails.verifyEmailMail(user.email, link(deps.config, '/verify-email', token)),
  );
}

/** Confirms an address: a signup's (verify_email) or a requested change (change_email). */
export async function verifyEmail(
  deps: FlowDeps,
  token: string,
  client: ClientInfo,
): Promise<UserRow> {
  return deps.db.transaction(async (tx) => {
    const row = await consumeToken(tx, token, ['verify_email', 'change_email']);
    if (!row?.userId)
      throw new HttpError(400, 'invalid_token', 'This link is invalid or has expired.');
    const email = row.data.email!;
    if (row.purpose === 'change_email') {
      const taken = await findUserByEmail(tx, email);
      if (taken && taken.id !== row.userId) {
        throw new HttpError(409, 'email_taken', 'This address now belongs to another account.');
      }
    }
    const [user] = await tx
      .update(users)
      .set({ email, emailVerifiedAt: new Date(), updatedAt: new Date() })
      .where(eq(users.id, row.userId))
      .returning();
    if (!user) throw new HttpError(400, 'invalid_token', 'This link is invalid or has expired.');
    const action = row.purpose === 'change_email' ? 'user.email_changed' : 'user.email_verified';
    await recordAudit(tx, {
      action,
      actorId: user.id,
      target: `user:${user.id}`,
      data: { email },
      ...client,
    });
    return user;
  });
}

function recentLoginFailures(db: Database, email: string): Promise<number> {
  return countAuditEvents(db, {
    action: 'auth.login_failed',
    since: new Date(Date.now() - LOGIN_WINDOW_MS),
    data: { email },
  });
}

/**
 * Checks a password login. One generic error for unknown email, wrong password and disabled
 * account; per-account throttling after repeated failures (per-IP limits are the rate limiter's).
 */
export async function authenticatePassword(
  deps: FlowDeps,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  if ((await recentLoginFailures(deps.db, email)) >= LOGIN_FAILURES_PER_ACCOUNT) {
    await recordAudit(deps.db, { action: 'auth.login_throttled', data: { email }, ...client });
    throw new HttpError(429, 'rate_limited', 'Too many failed sign-in attempts; try again later.');
  }
  const user = await findUserByEmail(deps.db, email);
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || !user.isActive) {
    await recordAudit(deps.db, {
      action: 'auth.login_failed',
      actorId: null,
      target: user ? `user:${user.id}` : null,
      data: { email },
      ...client,
    });
    throw invalidCredentials();
  }
  if (!user.emailVerifiedAt) {
    throw new HttpError(
      403,
      'email_not_verified',
      'Confirm your email address first; we can send the link again.',
    );
  }
  const update: Partial<typeof users.$inferInsert> = { lastLoginAt: new Date() };
  if (needsRehash(user.passwordHash!)) update.passwordHash = await hashPassword(input.password);
  await deps.db.update(users).set(update).where(eq(users.id, user.id));
  await recordAudit(deps.db, {
    action: 'auth.login',
    actorId: user.id,
    target: `user:${user.id}`,
    ...client,
  });
  return user;
}
