import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { randomToken, sha256 } from './crypto.js';
import { accountTokens } from './schema.js';

export type TokenPurpose =
  'verify_email' | 'change_email' | 'reset_password' | 'setup' | 'unlock_login';

const HOUR_MS = 3_600_000;
export const TOKEN_TTL_MS: Record<TokenPurpose, number> = {
  verify_email: 48 * HOUR_MS,
  change_email: 24 * HOUR_MS,
  reset_password: 1 * HOUR_MS,
  setup: 24 * HOUR_MS,
  unlock_login: 1 * HOUR_MS,
};

type Executor = Pick<Database, 'insert' | 'select' | 'update'>;

/** Issues a single-use token; only its hash is stored. Returns the value to put in the link. */
export async function issueToken(
  db: Executor,
  purpose: TokenPurpose,
  userId: string | null,
  data: Record<string, string> = {},
): Promise<string> {
  const token = randomToken();
  await db.insert(accountTokens).values({
    tokenHash: sha256(token),
    purpose,
    userId,
    data,
    expiresAt: new Date(Date.now() + TOKEN_TTL_MS[purpose]),
  });
  return token;
}

/** The live (unused, unexpired) token row for a value and purposes, without using it up. */
export async function peekToken(db: Executor, token: string, purposes: TokenPurpose[]) {
  const [row] = await db
    .select()
    .from(accountTokens)
    .where(
      and(
        eq(accountTokens.tokenHash, sha256(token)),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, new Date()),
      ),
    );
  return row && (purposes as string[]).includes(row.purpose) ? row : undefined;
}

/**
 * Uses a token up, atomically: of two concurrent requests with the same token only one gets the
 * row back. Returns undefined when it is unknown, used, expired or of another purpose.
 */
export async function consumeToken(db: Executor, token: string, purposes: TokenPurpose[]) {
  const [row] = await db
    .update(accountTokens)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(accountTokens.tokenHash, sha256(token)),
        inArray(accountTokens.purpose, purposes),
        isNull(accountTokens.usedAt),
        gt(accountTokens.expiresAt, new Date()),
      ),
    )
    .returning();
  return row;
}
