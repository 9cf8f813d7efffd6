import {
  adminActionParamsSchema,
  adminActionQueuedSchema,
  adminActionRequestSchema,
  adminActionResultSchema,
  adminActionRunParamsSchema,
  adminActionRunSchema,
  adminSearchQuerySchema,
  adminSearchSchema,
  adminViewCreateSchema,
  adminViewListQuerySchema,
  adminViewListSchema,
  adminViewParamsSchema,
  adminViewSchema,
  adminViewUpdateSchema,
  errorResponseSchema,
} from '@bastion/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { startAction } from '../../admin/actions.js';
import { engineContext } from '../../admin/context.js';
import { adminResource } from '../../admin/registry.js';
import { paletteSearch } from '../../admin/search.js';
import { notFound } from '../../http/errors.js';
import { actionRunJob, createRun, findRun, presentRun } from './action-runs.js';
import { resourceRoutes, staff, tags } from './resource-routes.js';
import { createView, deleteView, getView, listViews, updateView } from './views.js';

const errors = { 400: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema };

/** The generic admin API: resources (resource-routes.ts), actions, palette search, saved views. */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(resourceRoutes);
  const ctx = (request: FastifyRequest) => engineContext(request, app);

  app.post(
    '/api/v1/admin/resources/:resource/actions/:action',
    {
      config: staff,
      schema: {
        tags,
        summary:
          'Run an action on ids or on everything matching a filter: preview, confirm, inline or as a job',
        params: adminActionParamsSchema,
        body: adminActionRequestSchema,
        response: { 200: adminActionResultSchema, 202: adminActionQueuedSchema, ...errors },
      },
    },
    async (request, reply) => {
      const context = ctx(request);
      const resource = adminResource(request.params.resource);
      const answer = await startAction(resource, context, request.params.action, request.body);
      if (answer.kind !== 'queued') return answer;
      // The run row and the job go in one transaction: no run without its job, nor the reverse.
      const run = await app.db.transaction(async (tx) => {
        const row = await createRun(tx, context, {
          resource: resource.name,
          action: request.params.action,
          selection: answer.selection,
          total: answer.total,
        });
        await app.jobs.enqueue(actionRunJob, { runId: row.id }, { db: tx });
        return row;
      });
      return reply.code(202).send({ run: presentRun(run) });
    },
  );

  app.get(
    '/api/v1/admin/action-runs/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: "A queued action's progress",
        params: adminActionRunParamsSchema,
        response: { 200: adminActionRunSchema, ...errors },
      },
    },
    async (request) => {
      const { actor } = ctx(request);
      const run = await findRun(app.db, request.params.id);
      // Someone else's run is only for admins to see.
      if (!run || (run.actorId !== actor.userId && actor.role !== 'admin')) {
        throw notFound('Action run');
      }
      return presentRun(run);
    },
  );

  app.get(
    '/api/v1/admin/search',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Command palette: objects of every resource the caller may view, by title',
        querystring: adminSearchQuerySchema,
        response: { 200: adminSearchSchema, ...errors },
      },
    },
    async (request) => ({ items: await paletteSearch(ctx(request), request.query.q) }),
  );

  app.get(
    '/api/v1/admin/views',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Saved views the caller owns or that are shared with their role',
        querystring: adminViewListQuerySchema,
        response: { 200: adminViewListSchema, ...errors },
      },
    },
    async (request) => ({ items: await listViews(ctx(request), request.query.resource) }),
  );

  app.post(
    '/api/v1/admin/views',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Save a view (search, filters, columns, sort), private or shared with a role',
        body: adminViewCreateSchema,
        response: { 201: adminViewSchema, ...errors },
      },
    },
    async (request, reply) => reply.code(201).send(await createView(ctx(request), request.body)),
  );

  app.get(
    '/api/v1/admin/views/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: 'One saved view',
        params: adminViewParamsSchema,
        response: { 200: adminViewSchema, ...errors },
      },
    },
    async (request) => getView(ctx(request), request.params.id),
  );

  app.patch(
    '/api/v1/admin/views/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Change a saved view (its owner only)',
        params: adminViewParamsSchema,
        body: adminViewUpdateSchema,
        response: { 200: adminViewSchema, ...errors },
      },
    },
    async (request) => updateView(ctx(request), request.params.id, request.body),
  );

  app.delete(
    '/api/v1/admin/views/:id',
    {
      config: staff,
      schema: {
        tags,
        summary: 'Delete a saved view (its owner only)',
        params: adminViewParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteView(ctx(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
