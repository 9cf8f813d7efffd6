import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** People who sign in. Email is unique case-insensitively (index on lower(email)). */
export const users = pgTable(
  'users',
  {
    id: uuid().primaryKey().defaultRandom(),
    email: text().notNull(),
    /** Null for accounts created through Google sign-in that never set a password. */
    passwordHash: text(),
    displayName: text().notNull().default(''),
    avatarUrl: text(),
    bio: text().notNull().default(''),
    // user | staff | admin, checked by the contract schema.
    role: text().notNull().default('user'),
    isActive: boolean().notNull().default(true),
    emailVerifiedAt: timestamp({ withTimezone: true }),
    lastLoginAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_lower_key').on(sql`lower(${table.email})`),
    // The admin's list, newest first, and its search (`%term%` on email and display name).
    index('users_created_at_idx').on(table.createdAt, table.id),
    index('users_email_verified_at_idx').on(table.emailVerifiedAt),
    index('users_email_trgm_idx').using('gin', table.email.op('gin_trgm_ops')),
    index('users_display_name_trgm_idx').using('gin', table.displayName.op('gin_trgm_ops')),
  ],
);

/**
 * Server-side sessions. The cookie holds a random id; only its SHA-256 is stored, so a database
 * leak does not hand out live sessions.
 */
export const sessions = pgTable(
  'sessions',
  {
    idHash: text().primaryKey(),
    /**
     * A public id for the admin (list, end one session): the hash is the cookie's lookup key and
     * stays on the server, so it cannot double as the id in URLs and answers.
     */
    id: uuid().notNull().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Absolute expiry; the idle expiry is lastSeenAt + the idle timeout. */
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: text(),
    userAgent: text(),
  },
  (table) => [
    index('sessions_user_id_idx').on(table.userId),
    uniqueIndex('sessions_id_key').on(table.id),
  ],
);

/** Personal API tokens (`Authorization: Bearer bst_…`): act as their user, within their scopes. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    tokenHash: text().notNull(),
    last4: text().notNull(),
    scopes: text().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('api_tokens_token_hash_key').on(table.tokenHash),
    index('api_tokens_user_id_idx').on(table.userId),
  ],
);

/** Machine keys without a user (`Authorization: Api-Key …`), e.g. a website's lead form. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    name: text().notNull(),
    keyHash: text().notNull(),
    last4: text().notNull(),
    scopes: text().array().notNull(),
    expiresAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('api_keys_key_hash_key').on(table.keyHash)],
);

/**
 * Single-use tokens sent by mail or printed at first start: email verification, password reset,
 * email change, first-admin setup. Stored hashed; `usedAt` makes them single use.
 */
export const accountTokens = pgTable(
  'account_tokens',
  {
    id: uuid().primaryKey().defaultRandom(),
    tokenHash: text().notNull(),
    // verify_email | reset_password | change_email | setup | unlock_login
    purpose: text().notNull(),
    userId: uuid().references(() => users.id, { onDelete: 'cascade' }),
    data: jsonb().$type<Record<string, string>>().notNull().default({}),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    usedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('account_tokens_token_hash_key').on(table.tokenHash)],
);

export type UserRow = typeof users.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type ApiTokenRow = typeof apiTokens.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;

/** External identities linked to a user (Google sign-in). */
export const oauthAccounts = pgTable(
  'oauth_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    provider: text().notNull(),
    /** The provider's stable subject id (`sub`). */
    subject: text().notNull(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('oauth_accounts_provider_subject_key').on(table.provider, table.subject),
    index('oauth_accounts_user_id_idx').on(table.userId),
  ],
);
