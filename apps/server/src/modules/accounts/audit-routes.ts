import {
  auditActionListSchema,
  auditEventListQuerySchema,
  auditEventListSchema,
  errorResponseSchema,
} from '@bastion/contract';
import { and, asc, count, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditEvents } from '../audit/schema.js';
import { users } from './schema.js';

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
      if (actor) {
        filters.push(
          actor.includes('@')
            ? sql`lower(${users.email}) = ${actor.toLowerCase()}`
            : eq(auditEvents.actor, actor),
        );
      }
      const where = and(...filters);
      const [rows, [counted]] = await Promise.all([
        app.db
          .select({ event: auditEvents, actorEmail: users.email })
          .from(auditEvents)
          .leftJoin(users, eq(users.id, auditEvents.actorId))
          .where(where)
          .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
          .limit(limit)
          .offset(offset),
        app.db
          .select({ total: count() })
          .from(auditEvents)
          .leftJoin(users, eq(users.id, auditEvents.actorId))
          .where(where),
      ]);
      return {
        total: counted?.total ?? 0,
        items: rows.map(({ event, actorEmail }) => ({
          id: event.id,
          actor: event.actor,
          actorEmail,
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
