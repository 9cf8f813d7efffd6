import type { UserRole } from '@bastion/contract';
import { and, eq, ne, sql } from 'drizzle-orm';
import type { AdminActor, AdminExecutor } from '../../admin/define.js';
import { roleAtLeast } from '../../http/access.js';
import { HttpError } from '../../http/errors.js';
import { users, type UserRow } from './schema.js';
import { destroyUserSessions } from './sessions.js';

// The rules of managing accounts in the admin, in one place: the users resource's edit and
// delete hooks and its row actions all go through `assertUserChange`, so no path (a PATCH, a
// bulk "deactivate", a restore from the history) gets around them.

/** What is about to happen to an account. */
export interface UserChange {
  role?: UserRole | undefined;
  isActive?: boolean | undefined;
  remove?: boolean;
  /** Anything else that touches the account (end its sessions, resend mail). */
  manage?: boolean;
}

const refuse = (code: string, message: string) => new HttpError(403, code, message);

/**
 * Throws (403, or 409 `last_admin`) when `actor` may not make `change` to `target`:
 * - staff cannot manage accounts above staff (an admin's);
 * - nobody grants a role above their own, so staff cannot raise their own role either;
 * - the last active admin cannot be demoted, disabled or deleted (409 `last_admin`, checked
 *   before the next rule so the sole admin demoting themselves hears the real reason);
 * - nobody changes their own role, disables or deletes themselves: another admin has to
 *   (no lock-outs by a slip of the mouse).
 * Call it inside the write's transaction: the last-admin check locks the active admins' rows.
 */
export async function assertUserChange(
  db: AdminExecutor,
  actor: AdminActor,
  target: UserRow,
  change: UserChange,
): Promise<void> {
  if (!roleAtLeast(actor.role, target.role as UserRole)) {
    throw refuse('above_your_role', 'Only an admin can change an admin account.');
  }
  if (change.role !== undefined && !roleAtLeast(actor.role, change.role)) {
    throw refuse('role_above_yours', 'You cannot grant a role above your own.');
  }
  const roleChanged = change.role !== undefined && change.role !== target.role;
  const disabled = change.isActive === false && target.isActive;
  const losesAdmin =
    target.role === 'admin' && target.isActive && (change.remove || disabled || roleChanged);
  if (losesAdmin && !(await anotherActiveAdmin(db, target.id))) {
    throw new HttpError(
      409,
      'last_admin',
      'This is the last active admin: make another admin first.',
    );
  }
  const self = target.id === actor.userId;
  if (self && (roleChanged || disabled || change.remove)) {
    throw refuse(
      'own_account',
      'You cannot change your own role, disable or delete your own account; ask another admin.',
    );
  }
}

/**
 * Whether an active admin besides `exceptId` is left. Two admins demoting each other at once
 * each hold their target's row lock (the engine takes it); locking the other admins' rows too
 * would deadlock them. A transaction-scoped advisory lock instead makes the checks take turns:
 * the second runs after the first committed, sees its change, and is refused.
 */
async function anotherActiveAdmin(db: AdminExecutor, exceptId: string): Promise<boolean> {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext('accounts.last-admin'))`);
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.isActive, true), ne(users.id, exceptId)))
    .limit(1);
  return rows.length > 0;
}

/**
 * After a role or active change the user signs in again under the new rights (the
 * session-rotation rule for privilege changes): their sessions end.
 */
export async function afterUserChange(
  db: AdminExecutor,
  before: UserRow,
  after: Pick<UserRow, 'role' | 'isActive'>,
): Promise<void> {
  if (after.role !== before.role || after.isActive !== before.isActive) {
    await destroyUserSessions(db, before.id);
  }
}
