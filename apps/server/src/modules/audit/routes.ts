import {
  auditActionListSchema,
  auditEventListQuerySchema,
  auditEventListSchema,
  errorResponseSchema,
} from '@bastion/contract';
import { and, asc, count, desc, eq, gte, lt, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEvents } from './schema.js';
import { findUserByEmail, userEmails } from '../accounts/users.js';

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema };

/** Admin-only: reading the audit log (writing it: `auditRequest` in modules/audit/service.ts). */
export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = { access: 'admin' as const };
  const tags = ['admin'];

  app.get(
    '/api/v1/admin/audit-events',
    {
      config,
      schema: {
        tags,
        summary: 'The audit log, newest first',
        querystring: auditEventListQuerySchema,
        response: { 200: auditEventListSchema, ...errors },
      },
    },
    async (request) => {
      const { action, actor, since, before, limit, offset } = request.query;
      const filters: SQL[] = [];
      if (action) filters.push(eq(auditEvents.action, action));
      if (since) filters.push(gte(auditEvents.createdAt, new Date(since)));
      if (before) filters.push(lt(auditEvents.createdAt, new Date(before)));
      if (actor?.includes('@')) {
        // Who an email belongs to comes from the accounts module; no such user, no events.
        const user = await findUserByEmail(app.db, actor);
        if (!user) return { total: 0, items: [] };
        filters.push(eq(auditEvents.actorId, user.id));
      } else if (actor) {
        filters.push(eq(auditEvents.actor, actor));
      }
      const where = and(...filters);
      const [rows, [counted]] = await Promise.all([
        app.db
          .select()
          .from(auditEvents)
          .where(where)
          .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
          .limit(limit)
          .offset(offset),
        app.db.select({ total: count() }).from(auditEvents).where(where),
      ]);
      const emails = await userEmails(
        app.db,
        rows.flatMap((event) => (event.actorId ? [event.actorId] : [])),
      );
      return {
        total: counted?.total ?? 0,
        items: rows.map((event) => ({
          id: event.id,
          actor: event.actor,
          actorEmail: (event.actorId && emails.get(event.actorId)) ?? null,
          action: event.action,
          target: event.target,
          ip: event.ip,
          userAgent: event.userAgent,
          data: event.data,
          createdAt: event.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/admin/audit-events/actions',
    {
      config,
      schema: {
        tags,
        summary: 'The distinct actions in the audit log (for filtering)',
        response: { 200: auditActionListSchema, ...errors },
      },
    },
    async () => {
      const rows = await app.db
        .selectDistinct({ action: auditEvents.action })
        .from(auditEvents)
        .orderBy(asc(auditEvents.action));
      return { items: rows.map((row) => row.action) };
    },
  );
};
