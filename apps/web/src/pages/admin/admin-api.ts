import {
  adminUserListSchema,
  adminUserSchema,
  apiTokenListSchema,
  apiTokenSchema,
  auditActionListSchema,
  auditEventListSchema,
  createdApiTokenSchema,
  type AdminUserListQuery,
  type AdminUserUpdate,
  type AuditEventListQuery,
  type CreateApiKey,
} from '@bastion/contract';
import { api } from '../../api/client';
import { withoutBlanks, type FilterQuery } from '../../api/query';

/** The contract's query types; blank filters are left out. */
export type AuditQuery = FilterQuery<AuditEventListQuery>;
export type UserQuery = FilterQuery<AdminUserListQuery>;

/** The admin API (API keys, audit log), typed by the shared contract. Paths are under /api. */
export const adminApi = {
  apiKeys: () => api.get('/v1/admin/api-keys', { schema: apiTokenListSchema }),
  createApiKey: (body: CreateApiKey) =>
    api.post('/v1/admin/api-keys', { schema: createdApiTokenSchema, body }),
  revokeApiKey: (id: string) =>
    api.delete(`/v1/admin/api-keys/${encodeURIComponent(id)}`, { schema: apiTokenSchema }),
  auditEvents: (query: AuditQuery) =>
    api.get('/v1/admin/audit-events', {
      schema: auditEventListSchema,
      query: withoutBlanks(query),
    }),
  users: (query: UserQuery) =>
    api.get('/v1/admin/users', {
      schema: adminUserListSchema,
      query: withoutBlanks(query),
    }),
  updateUser: (id: string, body: AdminUserUpdate) =>
    api.patch(`/v1/admin/users/${encodeURIComponent(id)}`, { schema: adminUserSchema, body }),
  auditActions: () => api.get('/v1/admin/audit-events/actions', { schema: auditActionListSchema }),
};
