import { z } from 'zod';

// Accounts: users, sessions, API tokens and keys, the flows around them, the audit log.

export const USER_ROLES = ['user', 'staff', 'admin'] as const;
export const userRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRoleSchema>;

/**
 * Scopes an API token or key may carry. A route lists the scopes that may call it in
 * `config.scopes`; each scope also names the least role a user needs to grant it to a token.
 */
export const API_SCOPES = {
  'leads:read': 'staff',
  'leads:write': 'staff',
  'newsletter:read': 'staff',
  'newsletter:write': 'staff',
  'scans:read': 'user',
  'scans:run': 'user',
} as const satisfies Record<string, UserRole>;
export type ApiScope = keyof typeof API_SCOPES;
export const apiScopeSchema = z.enum(Object.keys(API_SCOPES) as [ApiScope, ...ApiScope[]]);

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

const email = z.email().max(254).trim();
const password = z.string().min(1, 'Enter a password.').max(PASSWORD_MAX_LENGTH);
/** Policy (length, common passwords, not the email) is checked by the server with field errors. */
const newPassword = z.string().max(PASSWORD_MAX_LENGTH);

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

/** A user as the admin's user list shows it: the profile plus account state. */
export const adminUserSchema = userSchema.extend({
  isActive: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;
export const adminUserListSchema = z.object({
  items: z.array(adminUserSchema),
  /** How many users match the filters (for pagination). */
  total: z.number().int(),
});
export const adminUserUpdateSchema = z
  .object({ role: userRoleSchema, isActive: z.boolean() })
  .partial();
export type AdminUserUpdate = z.infer<typeof adminUserUpdateSchema>;

export const updateMeSchema = z
  .object({
    displayName: z.string().trim().max(100),
    avatarUrl: z
      .url({ protocol: /^https?$/, message: 'Enter an http(s) URL.' })
      .max(2000)
      .nullable(),
    bio: z.string().trim().max(2000),
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
  displayName: z.string().trim().max(100).optional(),
});
export type Signup = z.infer<typeof signupSchema>;

export const loginSchema = z.object({ email, password });
export type Login = z.infer<typeof loginSchema>;

export const tokenSchema = z.object({ token: z.string().min(10).max(200) });
export const emailSchema = z.object({ email });
export const resetPasswordSchema = z.object({
  token: z.string().min(10).max(200),
  password: newPassword,
});
export const changePasswordSchema = z.object({
  currentPassword: z.string().max(PASSWORD_MAX_LENGTH).optional(),
  newPassword,
});
export const changeEmailSchema = z.object({ email, currentPassword: password.optional() });
export const setupSchema = z.object({
  token: z.string().min(10).max(200),
  email,
  password: newPassword,
  displayName: z.string().trim().max(100).optional(),
});

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
  name: z.string().trim().min(1).max(100),
  scopes: z.array(apiScopeSchema).min(1).max(20),
  expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
});
export type CreateApiToken = z.infer<typeof createApiTokenSchema>;
/** The token itself appears in this response only; it is stored hashed. */
export const createdApiTokenSchema = z.object({ token: z.string(), apiToken: apiTokenSchema });
export type CreatedApiToken = z.infer<typeof createdApiTokenSchema>;

export const apiKeySchema = apiTokenSchema;
export type ApiKey = z.infer<typeof apiKeySchema>;

export const auditEventSchema = z.object({
  id: z.uuid(),
  actor: z.string(),
  /** The acting user's current email, when the actor is a user (null for keys, cli, anonymous). */
  actorEmail: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  createdAt: z.iso.datetime(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;
export const auditEventListSchema = z.object({
  items: z.array(auditEventSchema),
  /** How many events match the filters (for pagination). */
  total: z.number().int(),
});
/** The distinct actions recorded so far, for the audit log's filter. */
export const auditActionListSchema = z.object({ items: z.array(z.string()) });

export const mailMessageSchema = z.object({
  id: z.uuid(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string().nullable(),
  status: z.string(),
  createdAt: z.iso.datetime(),
});
export type MailMessage = z.infer<typeof mailMessageSchema>;
export const mailMessageListSchema = z.object({ items: z.array(mailMessageSchema) });
