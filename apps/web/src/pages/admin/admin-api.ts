import {
  adminUserListSchema,
  adminUserSchema,
  apiTokenListSchema,
  apiTokenSchema,
  auditActionListSchema,
  auditEventListSchema,
  createdApiTokenSchema,
  type AdminUserUpdate,
  type CreateApiToken,
  type UserRole,
} from '@bastion/contract';
import { api } from '../../api/client';

export interface AuditQuery {
  action?: string;
  actor?: string;
  /** ISO instants: events at or after `since`, strictly before `before`. */
  since?: string;
  before?: string;
  limit: number;
  offset: number;
}

export interface UserQuery {
  search?: string;
  role?: UserRole | '';
  limit: number;
  offset: number;
}

/** The admin API (API keys, audit log), typed by the shared contract. Paths are under /api. */
export const adminApi = {
  apiKeys: () => api.get('/v1/admin/api-keys', { schema: apiTokenListSchema }),
  createApiKey: (body: CreateApiToken) =>
    api.post('/v1/admin/api-keys', { schema: createdApiTokenSchema, body }),
  revokeApiKey: (id: string) =>
    api.delete(`/v1/admin/api-keys/${encodeURIComponent(id)}`, { schema: apiTokenSchema }),
  auditEvents: (query: AuditQuery) =>
    api.get('/v1/admin/audit-events', {
      schema: auditEventListSchema,
      query: { ...query, action: query.action || undefined, actor: query.actor || undefined },
    }),
  users: (query: UserQuery) =>
    api.get('/v1/admin/users', {
      schema: adminUserListSchema,
      query: { ...query, search: query.search || undefined, role: query.role || undefined },
    }),
  updateUser: (id: string, body: AdminUserUpdate) =>
    api.patch(`/v1/admin/users/${encodeURIComponent(id)}`, { schema: adminUserSchema, body }),
  auditActions: () => api.get('/v1/admin/audit-events/actions', { schema: auditActionListSchema }),
};
