import {
  adminUserUpdateSchema,
  API_SCOPES,
  createApiKeySchema,
  USER_ROLES,
  type UserRole,
} from '@bastion/contract';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { defineAdminResource, type AdminContext } from '../../admin/define.js';
import { HttpError } from '../../http/errors.js';
import { createApiKey, revokeApiKey, revokeApiToken } from './credentials.js';
import { verificationMailJob } from './jobs.js';
import { apiKeys, apiTokens, sessions, users, type UserRow } from './schema.js';
import { destroyUserSessions } from './sessions.js';
import { afterUserChange, assertUserChange } from './user-admin.js';

// The accounts module in the generic admin. Password, token and key hashes are not fields, so
// they never leave the server; the rules of who may change whom are in user-admin.ts.

const SCOPES = Object.keys(API_SCOPES);

/** As long as a personal API token may live (`expiresInDays` up to 3650). */
const MAX_KEY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The module's create schema with the expiry as an instant (what a datetime field sends)
 * instead of a number of days. Checked against the clock at creation: a key that is expired
 * when made, or lives longer than the account API allows, is a field error.
 */
const apiKeyCreateSchema = createApiKeySchema.omit({ expiresInDays: true }).extend({
  expiresAt: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .superRefine((value, ctx) => {
      if (!value) return;
      const at = Date.parse(value);
      if (at <= Date.now()) {
        ctx.addIssue({ code: 'custom', message: 'Choose a time in the future.' });
      } else if (at > Date.now() + MAX_KEY_DAYS * DAY_MS) {
        ctx.addIssue({ code: 'custom', message: `At most ${MAX_KEY_DAYS} days from now.` });
      }
    }),
});

async function setActive(ctx: AdminContext, row: UserRow, isActive: boolean) {
  await assertUserChange(ctx.db, ctx.actor, row, { isActive });
  await ctx.db.update(users).set({ isActive, updatedAt: new Date() }).where(eq(users.id, row.id));
  await afterUserChange(ctx.db, row, { role: row.role, isActive });
  return { isActive };
}

/** Ending someone's sessions is managing their account: staff cannot do it to an admin. */
async function assertMaySignOut(ctx: AdminContext, userId: string) {
  const [owner] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (owner) await assertUserChange(ctx.db, ctx.actor, owner, { manage: true });
}

export const usersAdmin = defineAdminResource({
  name: 'users',
  label: 'User',
  table: users,
  title: 'email',
  fields: {
    email: { type: 'email', readonly: true },
    displayName: { label: 'Name', readonly: true },
    role: { type: 'select', choices: USER_ROLES },
    isActive: { label: 'Active', type: 'boolean' },
    emailVerifiedAt: {
      label: 'Verified',
      readonly: true,
      help: 'Filter with "empty" for unverified accounts.',
    },
    lastLoginAt: { readonly: true },
    createdAt: { readonly: true },
    updatedAt: { readonly: true },
  },
  list: ['email', 'displayName', 'role', 'isActive', 'emailVerifiedAt', 'createdAt'],
  search: ['email', 'displayName'],
  filters: ['role', 'isActive', 'emailVerifiedAt', 'createdAt'],
  sortable: ['createdAt', 'email', 'lastLoginAt'],
  defaultSort: '-createdAt',
  // Staff manage ordinary and staff accounts (support work); only admins delete (the hooks
  // keep staff off admin accounts whatever the operation).
  access: { list: 'staff', view: 'staff', edit: 'staff', delete: 'admin' },
  write: { update: adminUserUpdateSchema },
  // A restore is an update through the same hooks, so the rules below hold for it too.
  restorable: true,
  hooks: {
    async beforeWrite(ctx, event) {
      if (!event.before) return;
      await assertUserChange(ctx.db, ctx.actor, event.before, {
        role: event.values.role as UserRole | undefined,
        isActive: event.values.isActive,
        remove: event.kind === 'delete',
      });
    },
    async afterWrite(ctx, event) {
      if (event.before && event.after) await afterUserChange(ctx.db, event.before, event.after);
    },
  },
  actions: [
    {
      name: 'deactivate',
      label: 'Deactivate',
      description: 'Disables the account and ends its sessions.',
      destructive: true,
      appliesTo: (row) => row.isActive,
      run: (ctx, row) => setActive(ctx, row, false),
    },
    {
      name: 'activate',
      label: 'Activate',
      appliesTo: (row) => !row.isActive,
      run: (ctx, row) => setActive(ctx, row, true),
    },
    {
      name: 'end-sessions',
      label: 'End all sessions',
      description: 'Signs the user out everywhere (API tokens stay valid).',
      destructive: true,
      async run(ctx, row) {
        await assertUserChange(ctx.db, ctx.actor, row, { manage: true });
        await destroyUserSessions(ctx.db, row.id);
      },
    },
    {
      name: 'resend-verification',
      label: 'Resend verification mail',
      appliesTo: (row) => row.isActive && !row.emailVerifiedAt,
      async run(ctx, row) {
        await assertUserChange(ctx.db, ctx.actor, row, { manage: true });
        if (row.emailVerifiedAt) {
          throw new HttpError(409, 'already_verified', 'This address is verified already.');
        }
        if (!row.isActive) throw new HttpError(409, 'inactive', 'This account is disabled.');
        // The same job as the public "resend" flow: it issues the token and writes the mail,
        // queued in this transaction so a failed action sends nothing.
        await ctx.enqueue(verificationMailJob, { userId: row.id }, { db: ctx.db });
      },
    },
  ],
  inlines: [
    { name: 'sessions', label: 'Sessions', resource: 'sessions', field: 'userId' },
    { name: 'api-tokens', label: 'API tokens', resource: 'api-tokens', field: 'userId' },
  ],
});

export const sessionsAdmin = defineAdminResource({
  name: 'sessions',
  label: 'Session',
  table: sessions,
  // The public id: `idHash` (what the cookie is looked up by) is not a field.
  id: 'id',
  title: 'id',
  fields: {
    userId: { label: 'User', type: 'fk', ref: 'users', readonly: true },
    createdAt: { readonly: true },
    lastSeenAt: { readonly: true },
    expiresAt: { readonly: true },
    // Where people sign in from is personal data: admins only.
    ip: { label: 'IP address', readonly: true, view: 'admin' },
    userAgent: { readonly: true, view: 'admin' },
  },
  list: ['userId', 'lastSeenAt', 'createdAt', 'expiresAt', 'ip', 'userAgent'],
  filters: ['userId', 'ip', 'lastSeenAt', 'expiresAt'],
  sortable: ['lastSeenAt', 'createdAt', 'expiresAt'],
  defaultSort: '-lastSeenAt',
  // Read-only; ending sessions is the delete (one) and the action (many), for staff as the
  // users' "end all sessions" is, and under the same rule: not an admin's sessions.
  access: { list: 'staff', view: 'staff', delete: 'staff' },
  hooks: {
    async beforeWrite(ctx, event) {
      if (event.kind === 'delete' && event.before) await assertMaySignOut(ctx, event.before.userId);
    },
  },
  actions: [
    {
      name: 'end',
      label: 'End session',
      destructive: true,
      access: 'staff',
      appliesTo: (row) => row.expiresAt > new Date(),
      async run(ctx, row) {
        await assertMaySignOut(ctx, row.userId);
        await ctx.db.delete(sessions).where(eq(sessions.id, row.id));
      },
    },
  ],
});

export const apiTokensAdmin = defineAdminResource({
  name: 'api-tokens',
  label: 'API token',
  table: apiTokens,
  title: 'name',
  fields: {
    name: { readonly: true },
    userId: { label: 'User', type: 'fk', ref: 'users', readonly: true },
    last4: { label: 'Ends with', readonly: true },
    scopes: { type: 'tags', choices: SCOPES, readonly: true },
    expiresAt: { readonly: true },
    lastUsedAt: { readonly: true },
    revokedAt: { readonly: true, help: 'Filter with "empty" for live tokens.' },
    createdAt: { readonly: true },
  },
  list: ['name', 'userId', 'last4', 'scopes', 'lastUsedAt', 'revokedAt'],
  search: ['name'],
  filters: ['userId', 'scopes', 'revokedAt', 'expiresAt', 'createdAt'],
  sortable: ['createdAt', 'lastUsedAt', 'name'],
  defaultSort: '-createdAt',
  // Admins, as the old API-key pages: a token acts as its user. Revoked, never deleted, so
  // the audit log's references keep meaning something.
  access: { list: 'admin', view: 'admin' },
  actions: [
    {
      name: 'revoke',
      label: 'Revoke',
      destructive: true,
      access: 'admin',
      appliesTo: (row) => !row.revokedAt,
      async run(ctx, row) {
        const revoked = await revokeApiToken(ctx.db, row.userId, row.id);
        if (!revoked) throw new HttpError(409, 'already_revoked', 'Revoked already.');
        return { revokedAt: revoked.revokedAt };
      },
    },
  ],
});

export const apiKeysAdmin = defineAdminResource({
  name: 'api-keys',
  label: 'API key',
  table: apiKeys,
  title: 'name',
  fields: {
    name: {},
    scopes: { type: 'tags', choices: SCOPES },
    last4: { label: 'Ends with', readonly: true },
    // Set when the key is made (there is no edit): empty, it never expires.
    expiresAt: { help: 'Optional: the key stops working then (at most 10 years ahead).' },
    lastUsedAt: { readonly: true },
    revokedAt: { readonly: true, help: 'Filter with "empty" for live keys.' },
    createdAt: { readonly: true },
  },
  list: ['name', 'last4', 'scopes', 'lastUsedAt', 'expiresAt', 'revokedAt'],
  search: ['name'],
  filters: ['scopes', 'revokedAt', 'expiresAt', 'createdAt'],
  sortable: ['createdAt', 'lastUsedAt', 'name'],
  defaultSort: '-createdAt',
  access: { list: 'admin', view: 'admin', create: 'admin' },
  write: { create: apiKeyCreateSchema },
  service: {
    async create(ctx, input) {
      const { name, scopes, expiresAt } = input;
      const { key, row } = await createApiKey(ctx.db, {
        name,
        scopes,
        expiresAt: expiresAt ? new Date(expiresAt) : null,
      });
      // Shown once, in this answer only: only the hash is stored.
      return { row, secrets: { key } };
    },
  },
  actions: [
    {
      name: 'revoke',
      label: 'Revoke',
      destructive: true,
      access: 'admin',
      appliesTo: (row) => !row.revokedAt,
      async run(ctx, row) {
        const revoked = await revokeApiKey(ctx.db, row.id);
        if (!revoked) throw new HttpError(409, 'already_revoked', 'Revoked already.');
        return { revokedAt: revoked.revokedAt };
      },
    },
  ],
});

export const accountsAdmin = [usersAdmin, sessionsAdmin, apiTokensAdmin, apiKeysAdmin];
