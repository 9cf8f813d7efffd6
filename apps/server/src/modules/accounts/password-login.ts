import { eq } from 'drizzle-orm';
import { HttpError, tooManyRequests } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import type { ClientInfo, FlowDeps } from './flows.js';
import { decorrelated, unlockMailJob } from './jobs.js';
import { ACCOUNT, type AttemptResult, type LoginThrottle } from './login-throttle.js';
import { consumeToken, peekToken } from './one-time-tokens.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { users, type UserRow } from './schema.js';
import { findUserByEmail, normalizeEmail } from './users.js';

export const invalidCredentials = () =>
  new HttpError(401, 'invalid_credentials', 'Email or password is incorrect.');

/** "30 seconds", "1 minute", "15 minutes": the wait, rounded up, for people. */
export function waitInWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * The 429 of a throttled sign-in: the same for an account and an unknown address (the throttle
 * counts both alike), with the wait in `Retry-After` and in the message.
 */
function throttled(refusal: Extract<AttemptResult, { allowed: false }>) {
  const wait = waitInWords(refusal.waitMs);
  const message =
    refusal.tier === 'account'
      ? `Too many failed sign-in attempts for this account. Try again in ${wait}, or use the ` +
        'link we email to the account to sign in without waiting.'
      : `Too many failed sign-in attempts for this account from your network. Try again in ${wait}.`;
  return tooManyRequests(message, refusal.waitMs / 1000);
}

/**
 * Checks a password login. One generic error for unknown email, wrong password and disabled
 * account. Throttled per account and network, and per account (login-throttle.ts), before the
 * password is checked; `unlockToken` (from the owner's unlock mail) lets one sign-in through.
 */
export async function authenticatePassword(
  deps: FlowDeps,
  throttle: LoginThrottle,
  input: { email: string; password: string; unlockToken?: string | undefined },
  client: ClientInfo,
): Promise<UserRow> {
  const email = normalizeEmail(input.email);
  const user = await findUserByEmail(deps.db, email);
  const unlock = input.unlockToken
    ? await peekToken(deps.db, input.unlockToken, ['unlock_login'])
    : undefined;
  const unlocked = Boolean(user && unlock?.userId === user.id);
  const attempt = await throttle.attempt(email, client.ip, !unlocked);
  if (!attempt.allowed) {
    await recordAudit(deps.db, {
      action: 'auth.login_throttled',
      target: user ? `user:${user.id}` : null,
      data: { email, tier: attempt.tier },
      ...client,
    });
    throw throttled(attempt);
  }
  const ok = await verifyPassword(user?.passwordHash ?? null, input.password);
  if (!user || !ok || !user.isActive) {
    await recordAudit(deps.db, {
      action: 'auth.login_failed',
      actorId: null,
      target: user ? `user:${user.id}` : null,
      data: { email },
      ...client,
    });
    // The account is now slowed down for everyone: its owner gets a way through by mail. The
    // job is queued for an unknown address too (and does nothing), so timing tells nothing.
    if (attempt.counts[1] >= ACCOUNT.free) {
      await deps.jobs.enqueue(unlockMailJob, { userId: user?.id ?? null }, decorrelated());
    }
    throw invalidCredentials();
  }
  // The right password: this attempt was not a guess, so it no longer counts.
  await throttle.succeeded(email, client.ip);
  if (!user.emailVerifiedAt) {
    throw new HttpError(
      403,
      'email_not_verified',
      'Confirm your email address first; we can send the link again.',
    );
  }
  // Single use: the link is spent by the sign-in it let through.
  if (unlocked) await consumeToken(deps.db, input.unlockToken!, ['unlock_login']);
  const update: Partial<typeof users.$inferInsert> = { lastLoginAt: new Date() };
  if (needsRehash(user.passwordHash!)) update.passwordHash = await hashPassword(input.password);
  await deps.db.update(users).set(update).where(eq(users.id, user.id));
  await recordAudit(deps.db, {
    action: 'auth.login',
    actorId: user.id,
    target: `user:${user.id}`,
    data: unlocked ? { unlockLink: true } : {},
    ...client,
  });
  return user;
}
