import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { UserRole } from '@bastion/contract';
import type { Database } from '../../db/client.js';
import { fieldError } from '../../http/errors.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { users, type UserRow } from './schema.js';

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(
  db: Pick<Database, 'select'>,
  email: string,
): Promise<UserRow | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(eq(sql`lower(${users.email})`, normalizeEmail(email)));
  return row;
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Email addresses of the given users (for lists that show who did something), by id. */
export async function userEmails(
  db: Pick<Database, 'select'>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(inArray(users.id, unique));
  return new Map(rows.map((row) => [row.id, row.email]));
}

/** Active staff and admins: the people work (a lead, say) may be assigned to. */
const activeStaff = and(eq(users.isActive, true), inArray(users.role, ['staff', 'admin']));

export interface StaffMember {
  id: string;
  displayName: string;
  email: string;
}

/** Every active staff member and admin, by name. */
export async function listActiveStaff(db: Pick<Database, 'select'>): Promise<StaffMember[]> {
  return db
    .select({ id: users.id, displayName: users.displayName, email: users.email })
    .from(users)
    .where(activeStaff)
    .orderBy(asc(users.displayName), asc(users.email));
}

/** Whether `id` is an active staff member or admin. */
export async function isActiveStaff(db: Pick<Database, 'select'>, id: string): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, id), activeStaff));
  return rows.length > 0;
}

/** Whether an admin account exists (a probe, not a count: `/auth/state` asks on every load). */
export async function hasAnyAdmin(db: Database): Promise<boolean> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.role, 'admin'))
    .limit(1);
  return rows.length > 0;
}

/** Throws a field error (on `field`) when the password breaks the policy. */
export function assertPasswordPolicy(password: string, email: string, field = 'password') {
  const problem = passwordProblem(password, email);
  if (problem) throw fieldError(field, problem, 'weak_password');
}

export interface NewUser {
  email: string;
  password?: string | null;
  displayName?: string;
  role?: UserRole;
  verified?: boolean;
}

/** Inserts a user (policy-checked password). Callers check the email is free first. */
export async function insertUser(db: Pick<Database, 'insert'>, input: NewUser): Promise<UserRow> {
  if (input.password) assertPasswordPolicy(input.password, input.email);
  const [row] = await db
    .insert(users)
    .values({
      email: normalizeEmail(input.email),
      passwordHash: input.password ? await hashPassword(input.password) : null,
      displayName: input.displayName ?? '',
      role: input.role ?? 'user',
      emailVerifiedAt: input.verified ? new Date() : null,
    })
    .returning();
  return row!;
}
