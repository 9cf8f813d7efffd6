import {
  errorResponseSchema,
  leadActivitySchema,
  leadBulkResultSchema,
  leadBulkStatusSchema,
  leadExportQuerySchema,
  leadIdParamsSchema,
  leadNoteSchema,
  leadOwnerListSchema,
  leadStatsSchema,
  leadTimelineSchema,
} from '@bastion/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { exportLeadsCsv } from './lead-export.js';
import { leadImportRoutes, type LeadImportOptions } from './lead-import-routes.js';
import { listLeadOwners } from './lead-owners.js';
import { addLeadNote, leadStats, leadTimeline, setLeadStatuses } from './lead-service.js';
import { presentActivity } from './presenters.js';
import { principalOf } from './principal.js';

const read = { access: 'staff' as const, scopes: ['leads:read'] };
const write = { access: 'staff' as const, scopes: ['leads:write'] };

/** Staff tools around leads: dashboard, timeline and notes, bulk status, CSV export/import. */
export function leadExtraRoutes(options: LeadImportOptions): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/leads/owners',
      {
        config: read,
        schema: {
          tags: ['crm'],
          summary: 'People leads can be assigned to (active staff and admins)',
          response: { 200: leadOwnerListSchema },
        },
      },
      async () => ({ results: await listLeadOwners(app.db) }),
    );

    app.get(
      '/api/v1/leads/stats',
      {
        config: read,
        schema: {
          tags: ['crm'],
          summary: 'Dashboard figures',
          response: { 200: leadStatsSchema },
        },
      },
      async () => leadStats(app.db),
    );

    app.get(
      '/api/v1/leads/export',
      {
        config: read,
        schema: {
          tags: ['crm'],
          summary: 'The leads of the current filter as CSV',
          querystring: leadExportQuerySchema,
          response: { 200: z.string() },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const csv = await exportLeadsCsv(app.pool, {
          status: q.status,
          source: q.source,
          category: q.category,
          ownerId: q.owner_id,
          search: q.search,
          ordering: q.ordering,
        });
        const day = new Date().toISOString().slice(0, 10);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="leads-${day}.csv"`)
          .serializer((payload) => payload as string)
          .send(csv);
      },
    );

    app.post(
      '/api/v1/leads/bulk-status',
      {
        config: write,
        schema: {
          tags: ['crm'],
          summary: 'Move several leads to one status (each change goes on its timeline)',
          body: leadBulkStatusSchema,
          response: { 200: leadBulkResultSchema, 400: errorResponseSchema },
        },
      },
      async (request) => ({
        updated: await setLeadStatuses(
          app.db,
          request.body.ids,
          request.body.status,
          principalOf(request).userId,
        ),
      }),
    );

    app.get(
      '/api/v1/leads/:id/timeline',
      {
        config: read,
        schema: {
          tags: ['crm'],
          summary: "A lead's history: creation, status changes, edits, notes",
          params: leadIdParamsSchema,
          response: { 200: leadTimelineSchema, 404: errorResponseSchema },
        },
      },
      async (request) => ({
        results: (await leadTimeline(app.db, request.params.id)).map(presentActivity),
      }),
    );

    app.post(
      '/api/v1/leads/:id/notes',
      {
        config: write,
        schema: {
          tags: ['crm'],
          summary: "Add a note to a lead's timeline",
          params: leadIdParamsSchema,
          body: leadNoteSchema,
          response: { 201: leadActivitySchema, 404: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const row = await addLeadNote(
          app.db,
          request.params.id,
          request.body.message,
          principalOf(request).userId,
        );
        return reply.code(201).send(presentActivity(row));
      },
    );

    await app.register(leadImportRoutes(options));
  };
}
