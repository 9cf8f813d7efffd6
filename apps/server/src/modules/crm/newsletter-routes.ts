import {
  errorResponseSchema,
  newsletterActionResultSchema,
  newsletterExportQuerySchema,
  newsletterListQuerySchema,
  newsletterListSchema,
  newsletterSubscribeResultSchema,
  newsletterSubscribeSchema,
  newsletterTokenSchema,
  newsletterUnsubscribeBodySchema,
  newsletterUnsubscribeQuerySchema,
} from '@bastion/contract';
import { stringify } from 'csv-stringify/sync';
import { desc, eq } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest } from '../../http/errors.js';
import {
  confirmSubscription,
  listSubscribers,
  subscribe,
  unsubscribe,
  type NewsletterSettings,
} from './newsletter-service.js';
import { presentSubscriber } from './presenters.js';
import { principalOf } from './principal.js';
import { newsletterSubscribers } from './schema.js';
import { throttleApiKeyClients, type ApiKeyThrottle } from './throttle.js';

/** `throttle`: the same per-IP / per-key budgets as public lead creation. */
export function newsletterRoutes(throttle: ApiKeyThrottle): FastifyPluginAsyncZod {
  return async (app) => {
    const settings: NewsletterSettings = {
      secretKey: app.config.secretKey,
      publicUrl: app.config.publicUrl,
      confirmTtlHours: app.config.newsletterConfirmTtlHours,
    };
    // RFC 8058 one-click unsubscribe posts `List-Unsubscribe=One-Click` as a form.
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );

    app.post(
      '/api/v1/newsletter/subscribe',
      {
        config: { access: 'staff', scopes: ['newsletter:write'] },
        preHandler: throttleApiKeyClients(throttle, 'newsletter', principalOf),
        schema: {
          tags: ['newsletter'],
          summary: 'Subscribe an address (website, API key): sends a confirmation mail',
          body: newsletterSubscribeSchema,
          response: {
            202: newsletterSubscribeResultSchema,
            400: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const status = await subscribe(app, settings, request.body);
        return reply.code(202).send({
          status,
          message:
            status === 'confirmed'
              ? 'This address is already subscribed.'
              : 'Almost done: please confirm with the link we just sent.',
        });
      },
    );

    app.post(
      '/api/v1/newsletter/confirm',
      {
        config: { access: 'public' },
        schema: {
          tags: ['newsletter'],
          summary: 'Confirm a subscription with the token of the confirmation mail',
          body: newsletterTokenSchema,
          response: { 200: newsletterActionResultSchema, 400: errorResponseSchema },
        },
      },
      async (request) => {
        const subscriber = await confirmSubscription(app.db, settings, request.body.token);
        return { status: 'confirmed' as const, email: subscriber.email };
      },
    );

    app.post(
      '/api/v1/newsletter/unsubscribe',
      {
        config: { access: 'public' },
        schema: {
          tags: ['newsletter'],
          summary: 'Unsubscribe (link in every mail; also RFC 8058 one-click POST)',
          querystring: newsletterUnsubscribeQuerySchema,
          body: newsletterUnsubscribeBodySchema,
          response: { 200: newsletterActionResultSchema, 400: errorResponseSchema },
        },
      },
      async (request) => {
        const token = request.query.token ?? request.body?.token;
        if (!token)
          throw badRequest('A token is required.', [{ path: ['token'], message: 'Required.' }]);
        const subscriber = await unsubscribe(app.db, settings, token);
        return { status: 'unsubscribed' as const, email: subscriber.email };
      },
    );

    app.get(
      '/api/v1/newsletter/subscribers',
      {
        config: { access: 'staff', scopes: ['newsletter:read'] },
        schema: {
          tags: ['newsletter'],
          summary: 'Subscribers, newest first, filtered by status or email',
          querystring: newsletterListQuerySchema,
          response: { 200: newsletterListSchema },
        },
      },
      async (request) => {
        const { status, search, page, page_size } = request.query;
        const { count, rows } = await listSubscribers(app.db, { status, search }, page, page_size);
        return { count, results: rows.map(presentSubscriber) };
      },
    );

    app.get(
      '/api/v1/newsletter/subscribers/export',
      {
        config: { access: 'staff', scopes: ['newsletter:read'] },
        schema: {
          tags: ['newsletter'],
          summary: 'Subscribers as CSV (all, or one status)',
          querystring: newsletterExportQuerySchema,
          response: { 200: z.string() },
        },
      },
      async (request, reply) => {
        const { status } = request.query;
        const rows = await app.db
          .select()
          .from(newsletterSubscribers)
          .where(status ? eq(newsletterSubscribers.status, status) : undefined)
          .orderBy(desc(newsletterSubscribers.createdAt));
        const csv = stringify([
          [
            'email',
            'full_name',
            'source',
            'status',
            'confirmed_at',
            'unsubscribed_at',
            'created_at',
          ],
          ...rows.map((row) => {
            const s = presentSubscriber(row);
            return [
              s.email,
              s.full_name ?? '',
              s.source,
              s.status,
              s.confirmed_at ?? '',
              s.unsubscribed_at ?? '',
              s.created_at,
            ];
          }),
        ]);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="newsletter-subscribers.csv"')
          .serializer((payload) => payload as string)
          .send(csv);
      },
    );
  };
}
