import { eq } from 'drizzle-orm';
import { HttpError, fieldError } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import { sendMail } from '../mail/service.js';
import { requesterOf, type ClientInfo, type FlowDeps } from './flows.js';
import { decorrelated, passwordResetMailJob } from './jobs.js';
import * as mails from './mails.js';
import { consumeToken, issueToken, peekToken } from './one-time-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { users, type UserRow } from './schema.js';
import { destroyUserSessions } from './sessions.js';
import { assertPasswordPolicy, findUserByEmail, normalizeEmail } from './users.js';

// Changes to an existing account's credentials: password reset by mail, password change and
// email change by the signed-in user.

/**
 * Queues a reset link; the job mails it when the account exists and is active. The request does
 * the same work for any address, so neither the answer nor its timing tells which.
 */
export async function requestPasswordReset(deps: FlowDeps, email: string, client: ClientInfo) {
  const user = await findUserByEmail(deps.db, email);
  await deps.jobs.enqueue(
    passwordResetMailJob,
    { userId: user?.id ?? null, ...requesterOf(client) },
    decorrelated(),
  );
}

/** Sets a new password from a reset link: single use, ends every session of the account. */
export async function resetPassword(
  deps: FlowDeps,
  input: { token: string; password: string },
  client: ClientInfo,
): Promise<void> {
  const invalid = () =>
    new HttpError(400, 'invalid_token', 'This reset link is invalid or has expired.');
  const peeked = await peekToken(deps.db, input.token, ['reset_password']);
  if (!peeked?.userId) throw invalid();
  const [owner] = await deps.db.select().from(users).where(eq(users.id, peeked.userId));
  if (!owner) throw invalid();
  // Policy before using the token up, so a weak choice does not burn the link.
  assertPasswordPolicy(input.password, owner.email);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    const row = await consumeToken(tx, input.token, ['reset_password']);
    if (!row?.userId) throw invalid();
    // Following the link proved control of the mailbox, so the address counts as verified.
    await tx
      .update(users)
      .set({
        passwordHash,
        emailVerifiedAt: owner.emailVerifiedAt ?? new Date(),
        updatedAt: new Date(),
      })
      .where(eq(users.id, row.userId));
    await destroyUserSessions(tx, row.userId);
    await recordAudit(tx, {
      action: 'user.password_reset',
      actorId: row.userId,
      target: `user:${row.userId}`,
      ...client,
    });
  });
}

/** Changes the password of a signed-in user and signs out their other sessions. */
export async function changePassword(
  deps: FlowDeps,
  user: UserRow,
  input: { currentPassword?: string | undefined; newPassword: string },
  keepSessionToken: string | undefined,
  client: ClientInfo,
): Promise<void> {
  if (
    user.passwordHash &&
    !(await verifyPassword(user.passwordHash, input.currentPassword ?? ''))
  ) {
    throw fieldError('currentPassword', 'The current password is incorrect.', 'invalid_password');
  }
  assertPasswordPolicy(input.newPassword, user.email, 'newPassword');
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await destroyUserSessions(tx, user.id, keepSessionToken);
    await recordAudit(tx, {
      action: 'user.password_changed',
      actorId: user.id,
      target: `user:${user.id}`,
      ...client,
    });
  });
  await sendMail(deps, mails.passwordChangedMail(user.email));
}

/** Starts an email change: the new address must confirm (re-verification) before it applies. */
export async function requestEmailChange(
  deps: FlowDeps,
  user: UserRow,
  input: { email: string; currentPassword?: string | undefined },
  client: ClientInfo,
): Promise<void> {
  if (
    user.passwordHash &&
    !(await verifyPassword(user.passwordHash, input.currentPassword ?? ''))
  ) {
    throw fieldError('currentPassword', 'The current password is incorrect.', 'invalid_password');
  }
  const email = normalizeEmail(input.email);
  if (email === user.email)
    throw fieldError('email', 'This is already your email address.', 'unchanged');
  // A taken address is not revealed here: its confirmation link simply fails later.
  const token = await issueToken(deps.db, 'change_email', user.id, { email });
  await recordAudit(deps.db, {
    action: 'user.email_change_requested',
    actorId: user.id,
    target: `user:${user.id}`,
    data: { email },
    ...client,
  });
  await sendMail(
    deps,
    mails.changeEmailMail(email, mails.link(deps.config, '/verify-email', token)),
  );
  await sendMail(deps, mails.emailChangeNoticeMail(user.email, email));
}
