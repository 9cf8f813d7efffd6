import { z } from 'zod';
import { apiScopeSchema, userRoleSchema } from './scopes.js';
import { httpUrl, queryText, text } from './primitives.js';

// Accounts: users, sessions, API tokens and keys, the flows around them, the audit log.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

const email = z.email().max(254).trim();
const password = text(PASSWORD_MAX_LENGTH).min(1, 'Enter a password.');
/** Policy (length, common passwords, not the email) is checked by the server with field errors. */
const newPassword = text(PASSWORD_MAX_LENGTH);
/** A one-time token from a mailed link (verification, reset, setup). */
const linkToken = text(200).min(10);
const displayName = text(100, { trim: true });

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  avatarUrl: z.string().nullable(),
  bio: z.string(),
  role: userRoleSchema,
  emailVerified: z.boolean(),
  hasPassword: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof userSchema>;

/** What the admin's users resource lets staff change (role and active; user-admin.ts rules). */
export const adminUserUpdateSchema = z
  .object({ role: userRoleSchema, isActive: z.boolean() })
  .partial();

export const updateMeSchema = z
  .object({
    displayName,
    avatarUrl: httpUrl(2000).nullable(),
    bio: text(2000, { trim: true }),
  })
  .partial();
export type UpdateMe = z.infer<typeof updateMeSchema>;

/** What the SPA asks on load: who am I, and which sign-in options exist. */
export const authStateSchema = z.object({
  user: userSchema.nullable(),
  signupEnabled: z.boolean(),
  googleEnabled: z.boolean(),
  /** True until the first admin exists (the setup page is usable). */
  setupRequired: z.boolean(),
  /** Who runs this instance (ORGANIZATION_NAME), for page titles and wording; null when unset. */
  organizationName: z.string().nullable(),
});
export type AuthState = z.infer<typeof authStateSchema>;

export const signupSchema = z.object({
  email,
  password: newPassword,
  displayName: displayName.optional(),
});
export type Signup = z.infer<typeof signupSchema>;

export const loginSchema = z.object({
  email,
  password,
  /** From the link mailed to an account whose sign-in is slowed down: lets one sign-in through. */
  unlockToken: linkToken.optional(),
});
export type Login = z.infer<typeof loginSchema>;

export const tokenSchema = z.object({ token: linkToken });
export const emailSchema = z.object({ email });
export const resetPasswordSchema = z.object({
  token: linkToken,
  password: newPassword,
});
export const changePasswordSchema = z.object({
  currentPassword: text(PASSWORD_MAX_LENGTH).optional(),
  newPassword,
});
export const changeEmailSchema = z.object({ email, currentPassword: password.optional() });
export const setupSchema = z.object({
  token: linkToken,
  email,
  password: newPassword,
  displayName: displayName.optional(),
});
export type Setup = z.input<typeof setupSchema>;

/** A generic acknowledgement (the same whatever the account state, where that matters). */
export const messageSchema = z.object({ message: z.string() });
export type Message = z.infer<typeof messageSchema>;

export const sessionSchema = z.object({
  id: z.string().describe('A public handle (not the cookie value)'),
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type Session = z.infer<typeof sessionSchema>;
export const sessionListSchema = z.object({ items: z.array(sessionSchema) });

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  last4: z.string(),
  scopes: z.array(z.string()),
  expiresAt: z.iso.datetime().nullable(),
  lastUsedAt: z.iso.datetime().nullable(),
  revokedAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;
export const apiTokenListSchema = z.object({ items: z.array(apiTokenSchema) });
export const createApiTokenSchema = z.object({
  name: text(100, { trim: true }).min(1),
  scopes: z.array(apiScopeSchema).min(1).max(20),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type CreateApiToken = z.infer<typeof createApiTokenSchema>;
/** The token itself appears in this response only; it is stored hashed. */
export const createdApiTokenSchema = z.object({ token: z.string(), apiToken: apiTokenSchema });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

/** Admins create API keys with the same fields as personal tokens. */
export const createApiKeySchema = createApiTokenSchema;

/** A session's public handle (`DELETE /users/me/sessions/:id`). */
export const sessionParamsSchema = z.object({ id: queryText(100) });
/** Users, API keys and tokens are addressed by their uuid. */
export const uuidParamsSchema = z.object({ id: z.uuid() });

/** Google sign-in: where to land afterwards, and what Google sends back to the callback. */
export const googleStartQuerySchema = z.object({ next: queryText(500).optional() });
export const googleCallbackQuerySchema = z.object({
  code: queryText(2000).optional(),
  state: queryText(500).optional(),
  error: queryText(200).optional(),
});
