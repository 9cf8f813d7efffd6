import {
  adminDetailSchema,
  adminExportQuerySchema,
  adminHistoryQuerySchema,
  adminHistorySchema,
  adminListQuerySchema,
  adminListSchema,
  adminLookupQuerySchema,
  adminLookupSchema,
  adminRecordParamsSchema,
  adminResourceListSchema,
  adminResourceMetaSchema,
  adminResourceParamsSchema,
  adminRestoreParamsSchema,
  adminWriteBodySchema,
  adminWriteResultSchema,
  errorResponseSchema,
} from '@bastion/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { engineContext } from '../../admin/context.js';
import { recordDetail } from '../../admin/detail.js';
import { exportCsv } from '../../admin/export.js';
import { objectHistory, restoreFromHistory } from '../../admin/history.js';
import { listRecords } from '../../admin/list.js';
import { resourceCatalog, resourceMeta } from '../../admin/meta.js';
import { parseFiltersParam } from '../../admin/query.js';
import { adminResource } from '../../admin/registry.js';
import { may } from '../../admin/resource.js';
import { lookup } from '../../admin/search.js';
import { createRecord, deleteRecord, updateRecord } from '../../admin/write.js';
import { forbidden } from '../../http/errors.js';

export const staff = { access: 'staff' as const };
export const tags = ['admin'];
const errors = {
  400: errorResponseSchema,
  403: errorResponseSchema,
  404: errorResponseSchema,
};

/** The resource of the URL, when the caller may do `op` on it (404 unknown, 403 not allowed). */
function resourceFor(
  request: FastifyRequest<{ Params: { resource: string } }>,
  op: 'list' | 'view',
) {
  const resource = adminResource(request.params.resource);
  if (!may(resource, op, request.auth.role)) throw forbidden();
  return resource;
}

/** Metadata, lists, objects, writes, history, export and lookup of every admin resource. */
export const resourceRoutes: FastifyPluginAsyncZod = async (app) => {
  const base = '/api/v1/admin/resources';
  const ctx = (request: FastifyRequest) => engineContext(request, app);

  app.get(
    base,
    {
      config: staff,
      schema: {
        tags,
        summary: 'Every admin resource the caller may list, with what the caller may do',
        response: { 200: adminResourceListSchema },
      },
    },
    async (request) => ({ items: resourceCatalog(ctx(request).actor.role) }),
  );

  app.get(
    `${base}/:resource/meta`,
    {
      config: staff,
      schema: {
        tags,
        summary: "One resource's metadata",
        params: adminResourceParamsSchema,
        response: { 200: adminResourceMetaSchema, ...errors },
      },
    },
    async (request) => resourceMeta(resourceFor(request, 'list'), ctx(request).actor.role),
  );

  app.get(
    `${base}/:resource`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'List: search, filters, keyset pages, a count (estimated on big tables), facets',
        params: adminResourceParamsSchema,
        querystring: adminListQuerySchema,
        response: { 200: adminListSchema, ...errors },
      },
    },
    async (request) => {
      const resource = resourceFor(request, 'list');
      const query = request.query;
      return listRecords(resource, ctx(request), {
        ...query,
        filters: parseFiltersParam(query.filters),
      });
    },
  );

  app.get(
    `${base}/:resource/export`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'The current search and filters as CSV (streamed; readable fields only)',
        params: adminResourceParamsSchema,
        querystring: adminExportQuerySchema,
        response: { 200: z.string(), ...errors },
      },
    },
    async (request, reply) => {
      const resource = resourceFor(request, 'list');
      const query = request.query;
      const stream = await exportCsv(resource, ctx(request), {
        ...query,
        filters: parseFiltersParam(query.filters),
      });
      const day = new Date().toISOString().slice(0, 10);
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${resource.name}-${day}.csv"`)
          // A stream is piped as it is (no serializer); the schema says what it carries: text.
          .send(stream as unknown as string)
      );
    },
  );

  app.get(
    `${base}/:resource/lookup`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'Search-as-you-type for foreign-key pickers: `{ id, label }`, at most 20',
        params: adminResourceParamsSchema,
        querystring: adminLookupQuerySchema,
        response: { 200: adminLookupSchema, ...errors },
      },
    },
    async (request) =>
      lookup(adminResource(request.params.resource), ctx(request), request.query.q),
  );

  app.post(
    `${base}/:resource`,
    {
      config: staff,
      schema: {
        tags,
        summary: "Create an object (validated by the resource's own schema)",
        params: adminResourceParamsSchema,
        body: adminWriteBodySchema,
        response: { 201: adminWriteResultSchema, 409: errorResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const resource = adminResource(request.params.resource);
      const result = await createRecord(resource, ctx(request), request.body);
      return reply.code(201).send(result);
    },
  );

  app.get(
    `${base}/:resource/:id`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'One object with the first rows of its inlines',
        params: adminRecordParamsSchema,
        response: { 200: adminDetailSchema, ...errors },
      },
    },
    async (request) =>
      recordDetail(adminResource(request.params.resource), ctx(request), request.params.id),
  );

  app.patch(
    `${base}/:resource/:id`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'Change an object (only the fields sent; per-field permissions apply)',
        params: adminRecordParamsSchema,
        body: adminWriteBodySchema,
        response: { 200: adminWriteResultSchema, 409: errorResponseSchema, ...errors },
      },
    },
    async (request) =>
      updateRecord(
        adminResource(request.params.resource),
        ctx(request),
        request.params.id,
        request.body,
      ),
  );

  app.delete(
    `${base}/:resource/:id`,
    {
      config: staff,
      schema: {
        tags,
        summary: 'Delete an object (soft where the table has deleted_at)',
        params: adminRecordParamsSchema,
        response: { 204: z.null(), 409: errorResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      await deleteRecord(adminResource(request.params.resource), ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    `${base}/:resource/:id/history`,
    {
      config: staff,
      schema: {
        tags,
        summary: "An object's admin history: actor, request id, per-field before/after",
        params: adminRecordParamsSchema,
        querystring: adminHistoryQuerySchema,
        response: { 200: adminHistorySchema, ...errors },
      },
    },
    async (request) =>
      objectHistory(
        adminResource(request.params.resource),
        ctx(request),
        request.params.id,
        request.query,
      ),
  );

  app.post(
    `${base}/:resource/:id/history/:eventId/restore`,
    {
      config: staff,
      schema: {
        tags,
        summary: "Bring back what a history entry changed (an edit's old values, a deletion)",
        params: adminRestoreParamsSchema,
        response: { 200: adminWriteResultSchema, 409: errorResponseSchema, ...errors },
      },
    },
    async (request) =>
      restoreFromHistory(
        adminResource(request.params.resource),
        ctx(request),
        request.params.id,
        request.params.eventId,
      ),
  );
};
