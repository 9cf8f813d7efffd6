import { z } from 'zod';
import { CRM_SCOPES } from './crm.js';
import { SCANS_SCOPES } from './scans.js';

export const USER_ROLES = ['user', 'staff', 'admin'] as const;
export const userRoleSchema = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRoleSchema>;

/**
 * Scopes an API token or key may carry: each module's contract file declares its own (with the
 * least role a user needs to grant it to a token), and they are gathered here, one entry per
 * module. A route lists the scopes that may call it in `config.scopes`; the server refuses to
 * start when a route names a scope no module declares.
 */
export const API_SCOPES = {
  ...CRM_SCOPES,
  ...SCANS_SCOPES,
} as const satisfies Record<string, UserRole>;
export type ApiScope = keyof typeof API_SCOPES;
export const apiScopeSchema = z.enum(Object.keys(API_SCOPES) as [ApiScope, ...ApiScope[]]);
