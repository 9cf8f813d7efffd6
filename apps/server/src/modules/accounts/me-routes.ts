import {
  API_SCOPES,
  apiTokenListSchema,
  apiTokenSchema,
  changeEmailSchema,
  changePasswordSchema,
  createApiTokenSchema,
  createdApiTokenSchema,
  errorResponseSchema,
  messageSchema,
  sessionListSchema,
  sessionParamsSchema,
  updateMeSchema,
  userSchema,
  uuidParamsSchema,
  type UserRole,
} from '@bastion/contract';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldError, notFound } from '../../http/errors.js';
import { roleAtLeast } from '../../http/access.js';
import { auditRequest } from '../audit/service.js';
import { clientOf } from './auth-routes.js';
import { createApiToken, listApiTokens, revokeApiToken } from './credentials.js';
import { sha256 } from './crypto.js';
import * as changes from './account-changes.js';
import { presentCredential, presentSession, presentUser } from './presenters.js';
import { users, type UserRow } from './schema.js';
import { listUserSessions, revokeUserSession } from './sessions.js';

const errors = {
  400: errorResponseSchema,
  401: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The signed-in user (routes here are `authenticated`, so request.user is set). */
const me = (request: FastifyRequest): UserRow => request.user!;

/** The signed-in user's own account: profile, password, email, sessions, API tokens. */
export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  const tags = ['account'];
  const config = { access: 'authenticated' as const };

  app.get(
    '/api/v1/users/me',
    {
      config,
      schema: { tags, summary: 'The signed-in user', response: { 200: userSchema, ...errors } },
    },
    async (request) => presentUser(me(request)),
  );

  app.patch(
    '/api/v1/users/me',
    {
      config,
      schema: {
        tags,
        summary: 'Edit the profile (display name, avatar URL, bio)',
        body: updateMeSchema,
        response: { 200: userSchema, ...errors },
      },
    },
    async (request) => {
      const [row] = await app.db
        .update(users)
        .set({ ...request.body, updatedAt: new Date() })
        .where(eq(users.id, me(request).id))
        .returning();
      await auditRequest(app.db, request, {
        action: 'user.profile_updated',
        target: `user:${row!.id}`,
        data: { fields: Object.keys(request.body) },
      });
      return presentUser(row!);
    },
  );

  app.post(
    '/api/v1/users/me/password',
    {
      config,
      schema: {
        tags,
        summary: 'Change the password; signs out every other session',
        body: changePasswordSchema,
        response: { 200: messageSchema, ...errors },
      },
    },
    async (request) => {
      await changes.changePassword(
        app,
        me(request),
        request.body,
        request.auth.sessionToken ?? undefined,
        clientOf(request),
      );
      return { message: 'Password changed; your other sessions were signed out.' };
    },
  );

  app.post(
    '/api/v1/users/me/email',
    {
      config,
      schema: {
        tags,
        summary: 'Change the email address (applies once the new address confirms)',
        body: changeEmailSchema,
        response: { 202: messageSchema, ...errors },
      },
    },
    async (request, reply) => {
      await changes.requestEmailChange(app, me(request), request.body, clientOf(request));
      return reply.code(202).send({ message: 'Check the new address for a confirmation link.' });
    },
  );

  app.get(
    '/api/v1/users/me/sessions',
    {
      config,
      schema: {
        tags,
        summary: 'Active sessions of this account',
        response: { 200: sessionListSchema, ...errors },
      },
    },
    async (request) => {
      const token = request.auth.sessionToken;
      const rows = await listUserSessions(app.db, app.config, me(request).id);
      return {
        items: rows.map((row) => presentSession(row, token, token ? sha256(token) : undefined)),
      };
    },
  );

  app.delete(
    '/api/v1/users/me/sessions/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke (sign out) one session',
        params: sessionParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      if (!(await revokeUserSession(app.db, me(request).id, request.params.id)))
        throw notFound('Session');
      await auditRequest(app.db, request, {
        action: 'session.revoked',
        target: `session:${request.params.id}`,
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/users/me/tokens',
    {
      config,
      schema: {
        tags,
        summary: 'Personal API tokens',
        response: { 200: apiTokenListSchema, ...errors },
      },
    },
    async (request) => ({
      items: (await listApiTokens(app.db, me(request).id)).map(presentCredential),
    }),
  );

  app.post(
    '/api/v1/users/me/tokens',
    {
      config,
      schema: {
        tags,
        summary: 'Create an API token (the token is shown in this response only)',
        body: createApiTokenSchema,
        response: { 201: createdApiTokenSchema, ...errors },
      },
    },
    async (request, reply) => {
      const role = me(request).role as UserRole;
      request.body.scopes.forEach((scope) => {
        if (!roleAtLeast(role, API_SCOPES[scope])) {
          throw fieldError(
            'scopes',
            `Your role cannot grant the scope ${scope}.`,
            'forbidden_scope',
          );
        }
      });
      const { token, row } = await createApiToken(app.db, me(request).id, request.body);
      await auditRequest(app.db, request, {
        action: 'api_token.created',
        target: `api_token:${row.id}`,
        data: { name: row.name, scopes: row.scopes },
      });
      return reply.code(201).send({ token, apiToken: presentCredential(row) });
    },
  );

  app.delete(
    '/api/v1/users/me/tokens/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Revoke an API token',
        params: uuidParamsSchema,
        response: { 200: apiTokenSchema, ...errors },
      },
    },
    async (request) => {
      const row = await revokeApiToken(app.db, me(request).id, request.params.id);
      if (!row) throw notFound('API token');
      await auditRequest(app.db, request, {
        action: 'api_token.revoked',
        target: `api_token:${row.id}`,
      });
      return presentCredential(row);
    },
  );
};
