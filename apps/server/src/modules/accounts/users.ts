import { eq, sql } from 'drizzle-orm';
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
