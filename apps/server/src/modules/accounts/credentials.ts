import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { randomToken, safeEqual, sha256 } from './crypto.js';
import {
  apiKeys,
  apiTokens,
  users,
  type ApiKeyRow,
  type ApiTokenRow,
  type UserRow,
} from './schema.js';

/** last_used_at is written at most this often per credential. */
const LAST_USED_INTERVAL_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

export const API_TOKEN_PREFIX = 'bst_';
export const API_KEY_PREFIX = 'bsk_';

function isLive(row: { revokedAt: Date | null; expiresAt: Date | null }): boolean {
  return !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > Date.now());
}

export async function createApiToken(
  db: Database,
  userId: string,
  input: { name: string; scopes: string[]; expiresInDays?: number | null },
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = randomToken(API_TOKEN_PREFIX);
  const [row] = await db
    .insert(apiTokens)
    .values({
      userId,
      name: input.name,
      tokenHash: sha256(token),
      last4: token.slice(-4),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
    })
    .returning();
  return { token, row: row! };
}

export async function resolveApiToken(
  db: Database,
  token: string,
): Promise<{ token: ApiTokenRow; user: UserRow } | null> {
  const tokenHash = sha256(token);
  const [found] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  if (!found || !safeEqual(found.token.tokenHash, tokenHash)) return null;
  if (!isLive(found.token) || !found.user.isActive) return null;
  if (Date.now() - (found.token.lastUsedAt?.getTime() ?? 0) > LAST_USED_INTERVAL_MS) {
    await db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(eq(apiTokens.id, found.token.id));
  }
  return found;
}

export async function listApiTokens(db: Database, userId: string): Promise<ApiTokenRow[]> {
  return db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.userId, userId))
    .orderBy(apiTokens.createdAt);
}

export async function revokeApiToken(
  db: Pick<Database, 'update'>,
  userId: string,
  id: string,
): Promise<ApiTokenRow | null> {
  const [row] = await db
    .update(apiTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)))
    .returning();
  return row ?? null;
}

/**
 * A new API key; `key` imports an existing value (a website already configured with one).
 * Only its SHA-256 is stored.
 */
export async function createApiKey(
  db: Pick<Database, 'insert'>,
  input: {
    name: string;
    scopes: string[];
    key?: string;
    /** None: the key does not expire. */
    expiresAt?: Date | null;
  },
): Promise<{ key: string; row: ApiKeyRow }> {
  const key = input.key ?? randomToken(API_KEY_PREFIX);
  const [row] = await db
    .insert(apiKeys)
    .values({
      name: input.name,
      keyHash: sha256(key),
      last4: key.slice(-4),
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresAt ?? null,
    })
    .returning();
  return { key, row: row! };
}

/**
 * The live key for a presented value. The lookup is by SHA-256 of the value, so the database
 * comparison never sees attacker-chosen prefixes of the real key (no timing oracle on the key);
 * the final comparison of the digests is constant-time as well.
 */
/**
 * Website forms call with the same API key on every request; a lookup per request was the
 * largest cost of the lead endpoints. Valid keys are remembered for a few seconds per database.
 * A revocation applies at once in this process (revokeApiKey forgets the key) and within
 * API_KEY_CACHE_MS on other replicas.
 */
const API_KEY_CACHE_MS = 5_000;
const API_KEY_CACHE_MAX = 1_000;
const apiKeyCache = new WeakMap<
  Database,
  Map<string, { row: ApiKeyRow; until: number; epoch: number }>
>();
/**
 * Bumped by every revocation in this process. A revocation may run in a transaction (the admin's
 * action), which is not the Database the cache belongs to: rather than find that cache, every
 * cached key older than the last revocation is looked up again (revocations are rare).
 */
let revocationEpoch = 0;

function keyCacheOf(db: Database) {
  let cache = apiKeyCache.get(db);
  if (!cache) apiKeyCache.set(db, (cache = new Map()));
  return cache;
}

export async function resolveApiKey(db: Database, key: string): Promise<ApiKeyRow | null> {
  const keyHash = sha256(key);
  const cache = keyCacheOf(db);
  const cached = cache.get(keyHash);
  if (
    cached &&
    cached.until > Date.now() &&
    cached.epoch === revocationEpoch &&
    isLive(cached.row)
  ) {
    return cached.row;
  }
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  if (!row || !safeEqual(row.keyHash, keyHash) || !isLive(row)) {
    cache.delete(keyHash);
    return null;
  }
  if (cache.size >= API_KEY_CACHE_MAX) cache.clear();
  cache.set(keyHash, { row, until: Date.now() + API_KEY_CACHE_MS, epoch: revocationEpoch });
  if (Date.now() - (row.lastUsedAt?.getTime() ?? 0) > LAST_USED_INTERVAL_MS) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  }
  return row;
}

export async function revokeApiKey(
  db: Pick<Database, 'update'>,
  id: string,
): Promise<ApiKeyRow | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (row) revocationEpoch += 1;
  return row ?? null;
}
