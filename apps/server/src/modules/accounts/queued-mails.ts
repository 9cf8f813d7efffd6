import { and, eq, gt, isNull } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { recordAudit } from '../audit/service.js';
import { sendMail } from '../mail/service.js';
import * as mails from './mails.js';
import { issueToken } from './one-time-tokens.js';
import { accountTokens, users, type UserRow } from './schema.js';

// The database and mail work of the flows that must answer an anonymous caller the same way, in
// the same time, whether or not an account exists (signup, forgot-password, resend-verification,
// the login throttle's unlock link). The routes only enqueue one job, for a known account and
// an unknown address alike; the job (jobs.ts) does what depends on the account. Each handler
// does its writes in one transaction, so a retried job never leaves a half-sent mail behind.

export interface QueuedMailDeps {
  db: Database;
  config: Config;
  log?: Pick<FastifyBaseLogger, 'warn' | 'info'>;
}

/** Who asked, for the audit log (the request is long gone when the job runs). */
export interface Requester {
  ip: string | null;
  userAgent: string | null;
}

async function activeUser(db: Database, userId: string | null): Promise<UserRow | undefined> {
  if (!userId) return undefined;
  const [user] = await db.select().from(users).where(eq(users.id, userId));
  return user?.isActive ? user : undefined;
}

/** After a signup: a verification link for a new account, a notice for a known address. */
export async function sendSignupMail(
  deps: QueuedMailDeps,
  input: { userId: string; created: boolean } & Requester,
): Promise<void> {
  const user = await activeUser(deps.db, input.userId);
  if (!user) return;
  const { config } = deps;
  if (!input.created) {
    await sendMail(
      deps,
      mails.alreadyRegisteredMail(
        user.email,
        `${config.publicUrl}/login`,
        `${config.publicUrl}/forgot-password`,
      ),
    );
    return;
  }
  await deps.db.transaction(async (tx) => {
    const token = await issueToken(tx, 'verify_email', user.id, { email: user.email });
    await recordAudit(tx, {
      action: 'user.signup',
      actorId: user.id,
      target: `user:${user.id}`,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    const link = mails.link(config, '/verify-email', token);
    await sendMail({ ...deps, db: tx }, mails.verifyEmailMail(user.email, link));
  });
}

/** A fresh verification link, for an account that exists and is still unconfirmed. */
export async function sendVerificationMail(
  deps: QueuedMailDeps,
  input: { userId: string | null },
): Promise<void> {
  const user = await activeUser(deps.db, input.userId);
  if (!user || user.emailVerifiedAt) return;
  await deps.db.transaction(async (tx) => {
    const token = await issueToken(tx, 'verify_email', user.id, { email: user.email });
    const link = mails.link(deps.config, '/verify-email', token);
    await sendMail({ ...deps, db: tx }, mails.verifyEmailMail(user.email, link));
  });
}

/** A password reset link, for an active account. */
export async function sendPasswordResetMail(
  deps: QueuedMailDeps,
  input: { userId: string | null } & Requester,
): Promise<void> {
  const user = await activeUser(deps.db, input.userId);
  if (!user) return;
  await deps.db.transaction(async (tx) => {
    const token = await issueToken(tx, 'reset_password', user.id);
    await recordAudit(tx, {
      action: 'user.password_reset_requested',
      actorId: null,
      target: `user:${user.id}`,
      ip: input.ip,
      userAgent: input.userAgent,
    });
    const link = mails.link(deps.config, '/reset-password', token);
    await sendMail({ ...deps, db: tx }, mails.resetPasswordMail(user.email, link));
  });
}

/**
 * The login throttle's way out for the owner (login-throttle.ts): a single-use, hashed, one-hour
 * link that lets one sign-in with the right password past the slow-down.
 */
export async function sendUnlockMail(
  deps: QueuedMailDeps,
  input: { userId: string | null },
): Promise<void> {
  const user = await activeUser(deps.db, input.userId);
  if (!user) return;
  await deps.db.transaction(async (tx) => {
    // No second mail while a link sent earlier still works (at most one an hour, however long
    // an attack lasts). One job at a time per account, so two cannot both decide to send.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    const recent = await tx
      .select({ id: accountTokens.id })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.userId, user.id),
          eq(accountTokens.purpose, 'unlock_login'),
          isNull(accountTokens.usedAt),
          gt(accountTokens.expiresAt, new Date()),
        ),
      )
      .limit(1);
    if (recent.length > 0) return;
    const token = await issueToken(tx, 'unlock_login', user.id);
    const link = mails.link(deps.config, '/login', token, 'unlock');
    await sendMail({ ...deps, db: tx }, mails.unlockLoginMail(user.email, link));
    await recordAudit(tx, {
      action: 'auth.unlock_link_sent',
      actorId: null,
      target: `user:${user.id}`,
    });
  });
}
