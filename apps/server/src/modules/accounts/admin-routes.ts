import {
  apiScopeSchema,
  apiTokenListSchema,
  apiTokenSchema,
  createdApiTokenSchema,
  errorResponseSchema,
  userRoleSchema,
  userSchema,
} from '@bastion/contract';
import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { notFound } from '../../http/errors.js';
import { auditRequest } from '../audit/service.js';
import { createApiKey, listApiKeys, revokeApiKey } from './credentials.js';
import { presentCredential, presentUser } from './presenters.js';
import { users } from './schema.js';
import { destroyUserSessions } from './sessions.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};
const uuidParams = z.object({ id: z.uuid() });

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
        body: z.object({
          name: z.string().trim().min(1).max(100),
          scopes: z.array(apiScopeSchema).min(1),
          expiresInDays: z.number().int().min(1).max(3650).nullable().optional(),
        }),
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
        params: uuidParams,
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
        summary: 'Users, newest first',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ items: z.array(userSchema) }), ...errors },
      },
    },
    async (request) => ({
      items: (
        await app.db.select().from(users).orderBy(desc(users.createdAt)).limit(request.query.limit)
      ).map(presentUser),
    }),
  );

  app.patch(
    '/api/v1/admin/users/:id',
    {
      config,
      schema: {
        tags,
        summary: "Change a user's role or disable the account (ends their sessions)",
        params: uuidParams,
        body: z.object({ role: userRoleSchema, isActive: z.boolean() }).partial(),
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) => {
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
      return presentUser(updated);
    },
  );
};
