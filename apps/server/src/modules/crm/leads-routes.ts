import {
  drfNotFoundSchema,
  errorResponseSchema,
  leadCreateSchema,
  leadDrfIdParamsSchema,
  leadListQuerySchema,
  leadListSchema,
  leadSchema,
  leadUpdateSchema,
} from '@bastion/contract';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fastSerializerCompiler } from '../../http/fast-serializer.js';
import { findLeadRow, listLeadRows } from './lead-queries.js';
import { createLead, deleteLead, updateLead } from './lead-service.js';
import { notifyLeadCreated } from './notifications.js';
import { pageCount, pageLink, pageOf, pageSizeOf } from './pagination.js';
import { presentLead } from './presenters.js';
import { principalOf } from './principal.js';
import { throttleApiKeyClients, type ApiKeyThrottle } from './throttle.js';

const idParams = leadDrfIdParamsSchema;
const read = { access: 'staff' as const, scopes: ['leads:read'] };
const write = { access: 'staff' as const, scopes: ['leads:write'] };

/** The DRF body (`detail`) the bench and website clients expect, inside Bastion's envelope. */
function drfNotFound(request: FastifyRequest, reply: FastifyReply, detail: string) {
  return reply.code(404).send({
    detail,
    error: { code: 'not_found', message: detail, requestId: String(request.id) },
  });
}

/** Ids are positive bigints; anything else is "not found", as in DRF's `<int:pk>` routes. */
function leadId(raw: string): number | undefined {
  return /^\d{1,15}$/.test(raw) && Number(raw) > 0 ? Number(raw) : undefined;
}

export function leadsRoutes(throttle: ApiKeyThrottle): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/leads',
      {
        config: read,
        serializerCompiler: fastSerializerCompiler,
        schema: {
          tags: ['crm'],
          summary: 'List leads: filters, search, ordering, DRF-style pagination',
          querystring: leadListQuerySchema,
          response: { 200: leadListSchema, 404: drfNotFoundSchema },
        },
      },
      async (request, reply) => {
        const query = request.query;
        const size = pageSizeOf(query.page_size);
        const requested = pageOf(query.page);
        if (Number.isNaN(requested) || (requested !== 'last' && requested < 1)) {
          return drfNotFound(request, reply, 'Invalid page.');
        }
        const filters = {
          status: query.status,
          source: query.source,
          category: query.category,
          ownerId: query.owner_id,
          search: query.search,
          ordering: query.ordering,
        };
        let page = requested === 'last' ? 1 : requested;
        let { count, rows } = await listLeadRows(app.pool, filters, size, (page - 1) * size);
        const pages = pageCount(count, size);
        if (requested === 'last' && pages > 1) {
          page = pages;
          ({ count, rows } = await listLeadRows(app.pool, filters, size, (page - 1) * size));
        }
        if (page < 1 || page > pages) return drfNotFound(request, reply, 'Invalid page.');
        const base = `${request.protocol}://${request.host}${request.url.split('?')[0]}`;
        const raw = request.query as Record<string, string | undefined>;
        return {
          count,
          next: page < pages ? pageLink(base, raw, page + 1) : null,
          previous: page > 1 ? pageLink(base, raw, page - 1) : null,
          results: rows.map(presentLead),
        };
      },
    );

    app.post(
      '/api/v1/leads',
      {
        config: write,
        serializerCompiler: fastSerializerCompiler,
        schema: {
          tags: ['crm'],
          summary: 'Create a lead (website form via API key, or staff)',
          body: leadCreateSchema,
          response: { 201: leadSchema, 400: errorResponseSchema, 429: errorResponseSchema },
        },
        // Machine clients (the public website) get a budget per client IP and per key.
        preHandler: throttleApiKeyClients(throttle, 'leads', principalOf),
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const row = await createLead(app, request.body, principal.userId);
        const lead = presentLead(row);
        notifyLeadCreated(app, lead);
        return reply.code(201).send(lead);
      },
    );

    app.get(
      '/api/v1/leads/:id',
      {
        config: read,
        serializerCompiler: fastSerializerCompiler,
        schema: {
          tags: ['crm'],
          summary: 'One lead',
          params: idParams,
          response: { 200: leadSchema, 404: drfNotFoundSchema },
        },
      },
      async (request, reply) => {
        const id = leadId(request.params.id);
        const row = id === undefined ? undefined : await findLeadRow(app.pool, id);
        if (!row) return drfNotFound(request, reply, 'Not found.');
        return presentLead(row);
      },
    );

    app.patch(
      '/api/v1/leads/:id',
      {
        config: write,
        schema: {
          tags: ['crm'],
          summary: 'Update some fields of a lead; status changes go on its timeline',
          params: idParams,
          body: leadUpdateSchema,
          response: { 200: leadSchema, 400: errorResponseSchema, 404: drfNotFoundSchema },
        },
      },
      async (request, reply) => {
        const id = leadId(request.params.id);
        if (id === undefined) return drfNotFound(request, reply, 'Not found.');
        const row = await updateLead(app.db, id, request.body, principalOf(request).userId);
        if (!row) return drfNotFound(request, reply, 'Not found.');
        return presentLead(row);
      },
    );

    app.delete(
      '/api/v1/leads/:id',
      {
        config: write,
        schema: {
          tags: ['crm'],
          summary: 'Delete a lead (soft: kept for reporting, hidden everywhere)',
          params: idParams,
          response: { 204: z.null(), 404: drfNotFoundSchema },
        },
      },
      async (request, reply) => {
        const id = leadId(request.params.id);
        if (id === undefined) return drfNotFound(request, reply, 'Not found.');
        if (!(await deleteLead(app.db, id))) return drfNotFound(request, reply, 'Not found.');
        return reply.code(204).send(null);
      },
    );
  };
}
