import type { ApiToken, Session, User, UserRole } from '@bastion/contract';
import { sessionHandle } from './sessions.js';
import type { ApiKeyRow, ApiTokenRow, SessionRow, UserRow } from './schema.js';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    avatarUrl: row.avatarUrl,
    bio: row.bio,
    role: row.role as UserRole,
    emailVerified: row.emailVerifiedAt !== null,
    hasPassword: row.passwordHash !== null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function presentSession(
  row: SessionRow,
  currentToken: string | null,
  currentHash?: string,
): Session {
  return {
    id: sessionHandle(row),
    current: currentToken !== null && row.idHash === currentHash,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    ip: row.ip,
    userAgent: row.userAgent,
  };
}

/** Tokens and keys show only their last four characters; the secret is never stored. */
export function presentCredential(row: ApiTokenRow | ApiKeyRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    last4: row.last4,
    scopes: row.scopes,
    expiresAt: iso(row.expiresAt),
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
    createdAt: row.createdAt.toISOString(),
  };
}
