import {
  errorResponseSchema,
  mailMessageListQuerySchema,
  mailMessageListSchema,
  mailMessageSchema,
  uuidParamsSchema,
} from '@bastion/contract';
import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../http/errors.js';
import { mailOutbox, type MailOutboxRow } from './schema.js';

const present = (row: MailOutboxRow) => ({
  id: row.id,
  to: row.to,
  subject: row.subject,
  text: row.text,
  html: row.html,
  status: row.status,
  createdAt: row.createdAt.toISOString(),
});

const errors = { 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

/** The outbox viewer (Mailhog's job): every mail Bastion wrote, for admins. */
export const mailRoutes: FastifyPluginAsyncZod = async (app) => {
  const config = { access: 'admin' as const };
  app.get(
    '/api/v1/admin/mail',
    {
      config,
      schema: {
        tags: ['admin'],
        summary: 'Mail outbox, newest first',
        querystring: mailMessageListQuerySchema,
        response: { 200: mailMessageListSchema, ...errors },
      },
    },
    async (request) => {
      const rows = await app.db
        .select()
        .from(mailOutbox)
        .where(request.query.to ? eq(mailOutbox.to, request.query.to.toLowerCase()) : undefined)
        .orderBy(desc(mailOutbox.createdAt))
        .limit(request.query.limit);
      return { items: rows.map(present) };
    },
  );

  app.get(
    '/api/v1/admin/mail/:id',
    {
      config,
      schema: {
        tags: ['admin'],
        summary: 'One mail of the outbox',
        params: uuidParamsSchema,
        response: { 200: mailMessageSchema, ...errors },
      },
    },
    async (request) => {
      const [row] = await app.db
        .select()
        .from(mailOutbox)
        .where(eq(mailOutbox.id, request.params.id));
      if (!row) throw notFound('Mail');
      return present(row);
    },
  );
};
