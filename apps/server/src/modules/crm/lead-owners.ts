import type { LeadOwner } from '@bastion/contract';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { fieldError } from '../../http/errors.js';
import { users } from '../accounts/schema.js';

// Who may own a lead: active staff and admins. One condition for the picker and the check.
const eligibleOwner = and(eq(users.isActive, true), inArray(users.role, ['staff', 'admin']));

/** Active staff and admins, the people a lead may be assigned to, by name. */
export async function listLeadOwners(db: Database): Promise<LeadOwner[]> {
  const rows = await db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .where(eligibleOwner)
    .orderBy(asc(users.displayName), asc(users.email));
  return rows.map((row) => ({ id: row.id, name: row.displayName || row.email, email: row.email }));
}

/**
 * An owner must be an active staff member: owner_id has no foreign key (leads outlive accounts),
 * so the check happens here, and only when an owner is given (website posts never send one).
 */
export async function assertLeadOwner(db: Database, ownerId: string | null | undefined) {
  if (!ownerId) return;
  const [owner] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, ownerId), eligibleOwner));
  if (!owner) {
    throw fieldError('owner_id', 'Choose an active staff member as the owner.', 'unknown_owner');
  }
}
