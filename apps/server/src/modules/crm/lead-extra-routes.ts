import {
  errorResponseSchema,
  leadActivitySchema,
  leadBulkResultSchema,
  leadBulkStatusSchema,
  LEAD_IMPORT_CONTENT_TYPES,
  LEAD_IMPORT_MAX_BYTES,
  leadExportQuerySchema,
  leadIdParamsSchema,
  leadImportBodySchema,
  leadImportParamsSchema,
  leadImportQuerySchema,
  leadImportSchema,
  leadNoteSchema,
  leadOwnerListSchema,
  leadStatsSchema,
  leadTimelineSchema,
} from '@bastion/contract';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { exportLeadsCsv } from './lead-export.js';
import { listLeadOwners } from './lead-owners.js';
import { presentImport, previewLeadImport, startLeadImport } from './lead-import.js';
import { addLeadNote, leadStats, leadTimeline, setLeadStatuses } from './lead-service.js';
import { presentActivity } from './presenters.js';
import { principalOf } from './principal.js';
import { leadImports } from './schema.js';
import { eq } from 'drizzle-orm';

const read = { access: 'staff' as const, scopes: ['leads:read'] };
const write = { access: 'staff' as const, scopes: ['leads:write'] };

export interface LeadExtraOptions {
  /** Runs an import that was moved to `running` (a job, or in-process without a queue). */
  runImport(importId: string): Promise<void>;
}

/** Staff tools around leads: dashboard, timeline and notes, bulk status, CSV export/import. */
export function leadExtraRoutes(options: LeadExtraOptions): FastifyPluginAsyncZod {
  return async (app) => {
    // CSV uploads arrive as the raw request body (the UI sends the picked file as-is).
    app.addContentTypeParser(
      LEAD_IMPORT_CONTENT_TYPES,
      { parseAs: 'string', bodyLimit: LEAD_IMPORT_MAX_BYTES },
      (_request, body, done) => done(null, body),
    );

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

    app.post(
      '/api/v1/leads/imports',
      {
        config: write,
        bodyLimit: LEAD_IMPORT_MAX_BYTES,
        schema: {
          tags: ['crm'],
          summary:
            'Upload a CSV (body: the file, Content-Type: text/csv): checks it, creates nothing',
          // The body is the file itself: documented under the types the parser above takes.
          consumes: LEAD_IMPORT_CONTENT_TYPES,
          querystring: leadImportQuerySchema,
          body: leadImportBodySchema,
          response: { 201: leadImportSchema, 400: errorResponseSchema },
        },
      },
      async (request, reply) => {
        if (!request.body.trim())
          throw badRequest('The file is empty.', [
            { path: ['file'], message: 'The file is empty.' },
          ]);
        const row = await previewLeadImport(
          app.db,
          request.query.filename,
          request.body,
          principalOf(request).userId,
        );
        return reply.code(201).send(presentImport(row));
      },
    );

    app.get(
      '/api/v1/leads/imports/:id',
      {
        config: read,
        schema: {
          tags: ['crm'],
          summary: 'An import: its preview, errors, duplicates and progress',
          params: leadImportParamsSchema,
          response: { 200: leadImportSchema, 404: errorResponseSchema },
        },
      },
      async (request) => {
        const [row] = await app.db
          .select()
          .from(leadImports)
          .where(eq(leadImports.id, request.params.id));
        if (!row) throw notFound('Import');
        return presentImport(row);
      },
    );

    app.post(
      '/api/v1/leads/imports/:id/apply',
      {
        config: write,
        schema: {
          tags: ['crm'],
          summary: 'Create the valid, non-duplicate rows of a previewed import (in the background)',
          params: leadImportParamsSchema,
          response: { 202: leadImportSchema, 404: errorResponseSchema, 409: errorResponseSchema },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const [row] = await app.db.select().from(leadImports).where(eq(leadImports.id, id));
        if (!row) throw notFound('Import');
        if (!(await startLeadImport(app.db, id))) {
          throw conflict('This import has already been applied.');
        }
        await options.runImport(id);
        const [current] = await app.db.select().from(leadImports).where(eq(leadImports.id, id));
        return reply.code(202).send(presentImport(current!));
      },
    );
  };
}
