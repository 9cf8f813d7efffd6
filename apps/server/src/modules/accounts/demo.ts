import { inArray } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { users } from './schema.js';

/** Sales staff for the demo: they own leads, but have no password and cannot sign in. */
const DEMO_STAFF = [
  { email: 'maria.lopez@demo.bastion.test', displayName: 'Maria Lopez' },
  { email: 'kenji.sato@demo.bastion.test', displayName: 'Kenji Sato' },
  { email: 'amara.okafor@demo.bastion.test', displayName: 'Amara Okafor' },
];

/** Creates the demo sales staff (once) and returns their ids. */
export async function ensureDemoStaff(db: Database): Promise<string[]> {
  await db
    .insert(users)
    .values(DEMO_STAFF.map((staff) => ({ ...staff, role: 'staff', emailVerifiedAt: new Date() })))
    .onConflictDoNothing();
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(
      inArray(
        users.email,
        DEMO_STAFF.map((staff) => staff.email),
      ),
    );
  return rows.map((row) => row.id);
}
