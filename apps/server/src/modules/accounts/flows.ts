import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { HttpError } from '../../http/errors.js';
import { recordAudit } from '../audit/service.js';
import type { JobsClient } from '../jobs/client.js';
import type { MailContext } from '../mail/service.js';
import { decorrelated, signupMailJob, verificationMailJob } from './jobs.js';
import { consumeToken } from './one-time-tokens.js';
import { hashPassword } from './passwords.js';
import { users, type UserRow } from './schema.js';
import { assertPasswordPolicy, findUserByEmail, normalizeEmail } from './users.js';

export interface FlowDeps extends MailContext {
  db: Database;
  config: Config;
  jobs: JobsClient;
}

/** Where a request came from, for the audit log. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** What the request path of signup/forgot/resend may store about its caller (jobs.ts). */
export const requesterOf = (client: ClientInfo) => ({
  ip: client.ip,
  userAgent: client.userAgent?.slice(0, 500) ?? null,
});

/**
 * Signup answers the same, in the same time, whether or not the email is taken (no account
 * enumeration): both paths hash the password, run one statement that inserts the account unless
 * the address is known, and enqueue one job in the same transaction. The job then mails a new
 * account its verification link and a known address an "you already have an account" notice.
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
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  await deps.db.transaction(async (tx) => {
    // One round trip either way. The outer SELECT runs on the statement's snapshot, so it sees
    // a known account but not the row this statement inserts: exactly one row comes back.
    const { rows } = await tx.execute<{ id: string; created: boolean }>(sql`
      WITH inserted AS (
        INSERT INTO users (email, password_hash, display_name)
        VALUES (${email}, ${passwordHash}, ${input.displayName ?? ''})
        ON CONFLICT DO NOTHING
        RETURNING id
      )
      SELECT id, true AS created FROM inserted
      UNION ALL
      SELECT id, false AS created FROM users WHERE lower(email) = ${email}`);
    const row = rows[0];
    // No row: a concurrent signup for the same new address committed first; it sends the mail.
    if (!row) return;
    await deps.jobs.enqueue(
      signupMailJob,
      { userId: row.id, created: row.created, ...requesterOf(client) },
      { db: tx, ...decorrelated() },
    );
  });
}

/** Queues a fresh verification link; the job sends it only to an unverified, active account. */
export async function resendVerification(deps: FlowDeps, email: string): Promise<void> {
  const user = await findUserByEmail(deps.db, email);
  await deps.jobs.enqueue(verificationMailJob, { userId: user?.id ?? null }, decorrelated());
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
