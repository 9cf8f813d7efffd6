import type { UserRole } from '@bastion/contract';
import {
  createApiKey as insertApiKey,
  createApiToken as insertApiToken,
} from '../src/modules/accounts/credentials.js';
import type { UserRow } from '../src/modules/accounts/schema.js';
import {
  createSession,
  csrfTokenFor,
  sessionCookieNames,
} from '../src/modules/accounts/sessions.js';
import { insertUser } from '../src/modules/accounts/users.js';
import type { TestApp } from './app.js';

// Helpers for tests of any module: make users and sign them in without going through the login
// route (which is rate limited and audited), and make ready-to-use API credentials.

let sequence = 0;

export interface TestUser extends UserRow {
  /** The plain password, for tests that do log in through the API. */
  password: string;
}

/** A verified, active user with `role` (default `user`). */
export async function createUser(
  testApp: Pick<TestApp, 'app'>,
  options: { role?: UserRole; email?: string; password?: string; displayName?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? 'correct horse battery staple';
  const email = options.email ?? `user${++sequence}-${process.pid}@example.test`;
  const row = await insertUser(testApp.app.db, {
    email,
    password,
    role: options.role ?? 'user',
    displayName: options.displayName ?? '',
    verified: true,
  });
  return { ...row, password };
}

/**
 * Headers of a signed-in browser for `app.inject`: the session cookie plus the CSRF cookie and
 * `X-CSRF-Token` header that state-changing requests need.
 * `app.inject({ method: 'POST', url, headers: await loginAs(t, user), payload })`
 */
export async function loginAs(
  testApp: Pick<TestApp, 'app'>,
  user: Pick<UserRow, 'id'>,
): Promise<{ cookie: string; 'x-csrf-token': string }> {
  const { app } = testApp;
  const { token } = await createSession(app.db, app.config, user.id, {
    ip: '127.0.0.1',
    userAgent: 'vitest',
  });
  const names = sessionCookieNames(app.config);
  const csrf = csrfTokenFor(app.config.secretKey, token);
  return { cookie: `${names.session}=${token}; ${names.csrf}=${csrf}`, 'x-csrf-token': csrf };
}

/** An `authorization` header value for a new API key: `Api-Key bsk_…`. */
export async function createApiKey(
  testApp: Pick<TestApp, 'app'>,
  scopes: string[],
  options: { name?: string; key?: string } = {},
): Promise<string> {
  const { key } = await insertApiKey(testApp.app.db, {
    name: options.name ?? 'test key',
    scopes,
    ...(options.key ? { key: options.key } : {}),
  });
  return `Api-Key ${key}`;
}

/** An `authorization` header value for a new personal API token of `user`: `Bearer bst_…`. */
export async function createApiToken(
  testApp: Pick<TestApp, 'app'>,
  user: Pick<UserRow, 'id'>,
  scopes: string[],
  options: { name?: string; expiresInDays?: number } = {},
): Promise<string> {
  const { token } = await insertApiToken(testApp.app.db, user.id, {
    name: options.name ?? 'test token',
    scopes,
    expiresInDays: options.expiresInDays ?? null,
  });
  return `Bearer ${token}`;
}
