import type { LeadOwner } from '@bastion/contract';
import type { Database } from '../../db/client.js';
import { fieldError } from '../../http/errors.js';
import { isActiveStaff, listActiveStaff } from '../accounts/users.js';

/** Active staff and admins, the people a lead may be assigned to, by name. */
export async function listLeadOwners(db: Database): Promise<LeadOwner[]> {
  const staff = await listActiveStaff(db);
  return staff.map((row) => ({ id: row.id, name: row.displayName || row.email, email: row.email }));
}

/**
 * An owner must be an active staff member: owner_id has no foreign key (leads outlive accounts),
 * so the check happens here, and only when an owner is given (website posts never send one).
 */
export async function assertLeadOwner(
  db: Pick<Database, 'select'>,
  ownerId: string | null | undefined,
) {
  if (!ownerId) return;
  if (!(await isActiveStaff(db, ownerId))) {
    throw fieldError('owner_id', 'Choose an active staff member as the owner.', 'unknown_owner');
  }
}
