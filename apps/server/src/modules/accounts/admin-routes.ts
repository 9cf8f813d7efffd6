import {
  adminUserListQuerySchema,
  adminUserListSchema,
  adminUserSchema,
  adminUserUpdateSchema,
  apiTokenListSchema,
  apiTokenSchema,
  createApiKeySchema,
  createdApiTokenSchema,
  errorResponseSchema,
  uuidParamsSchema,
} from '@bastion/contract';
import { and, count, desc, eq, ilike, or, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { containsPattern } from '../../db/like.js';
import { badRequest, notFound } from '../../http/errors.js';
import { auditRequest } from '../audit/service.js';
import { createApiKey, listApiKeys, revokeApiKey } from './credentials.js';
import { presentAdminUser, presentCredential } from './presenters.js';
import { users } from './schema.js';
import { destroyUserSessions } from './sessions.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** Admin-only: API keys for machine clients, users' roles (the audit log: audit-routes.ts). */
export const accountsAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = { access: 'admin' as const };
  const tags = ['admin'];

  app.get(
    '/api/v1/admin/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'API keys (Authorization: Api-Key …)',
        response: { 200: apiTokenListSchema, ...errors },
      },
    },
    async () => ({ items: (await listApiKeys(app.db)).map(presentCredential) }),
  );

  app.post(
    '/api/v1/admin/api-keys',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API key (the key is shown in this response only)',
        body: createApiKeySchema,
        response: { 201: createdApiTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { key, row } = await createApiKey(app.db, request.body);
      await auditRequest(app.db, request, {
        action: 'api_key.created',
        target: `api_key:${row.id}`,
        data: { name: row.name, scopes: row.scopes },
      });
      return reply.code(201).send({ token: key, apiToken: presentCredential(row) });
    },
  );

  app.delete(
    '/api/v1/admin/api-keys/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API key',
        params: uuidParamsSchema,
        response: { 200: apiTokenSchema, ...errors },
      },
    },
    async (request) => {
      const row = await revokeApiKey(app.db, request.params.id);
      if (!row) throw notFound('API key');
      await auditRequest(app.db, request, {
        action: 'api_key.revoked',
        target: `api_key:${row.id}`,
      });
      return presentCredential(row);
    },
  );

  app.get(
    '/api/v1/admin/users',
    {
      config,
      schema: {
        tags,
        summary: 'Users, newest first: search by email or name, filter by role',
        querystring: adminUserListQuerySchema,
        response: { 200: adminUserListSchema, ...errors },
      },
    },
    async (request) => {
      const { search, role, limit, offset } = request.query;
      const filters: SQL[] = [];
      if (role) filters.push(eq(users.role, role));
      if (search) {
        const pattern = containsPattern(search);
        filters.push(or(ilike(users.email, pattern), ilike(users.displayName, pattern))!);
      }
      const where = and(...filters);
      const [rows, [counted]] = await Promise.all([
        app.db
          .select()
          .from(users)
          .where(where)
          .orderBy(desc(users.createdAt), desc(users.id))
          .limit(limit)
          .offset(offset),
        app.db.select({ total: count() }).from(users).where(where),
      ]);
      return { items: rows.map(presentAdminUser), total: counted?.total ?? 0 };
    },
  );

  app.patch(
    '/api/v1/admin/users/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a user's role or disable the account (ends their sessions)",
        params: uuidParamsSchema,
        body: adminUserUpdateSchema,
        response: { 200: adminUserSchema, ...errors },
      },
    },
    async (request) => {
      // No admin can lock themselves out; another admin has to do it.
      const { role, isActive } = request.body;
      const self = request.params.id === request.auth.userId;
      if (self && (isActive === false || (role !== undefined && role !== 'admin'))) {
        throw badRequest('You cannot remove your own admin access or disable your own account.');
      }
      const updated = await app.db.transaction(async (tx) => {
        const [before] = await tx
          .select()
          .from(users)
          .where(eq(users.id, request.params.id))
          .for('update');
        if (!before) throw notFound('User');
        const [after] = await tx
          .update(users)
          .set({ ...request.body, updatedAt: new Date() })
          .where(eq(users.id, before.id))
          .returning();
        // A privilege change invalidates existing sessions: the user signs in again under the
        // new role (the session-rotation rule for privilege changes).
        if (after!.role !== before.role || after!.isActive !== before.isActive) {
          await destroyUserSessions(tx, before.id);
        }
        if (after!.role !== before.role) {
          await auditRequest(tx, request, {
            action: 'user.role_changed',
            target: `user:${before.id}`,
            data: { from: before.role, to: after!.role },
          });
        }
        if (after!.isActive !== before.isActive) {
          await auditRequest(tx, request, {
            action: after!.isActive ? 'user.enabled' : 'user.disabled',
            target: `user:${before.id}`,
          });
        }
        return after!;
      });
      return presentAdminUser(updated);
    },
  );
};
