import {
  errorResponseSchema,
  gradeHistoryQuerySchema,
  gradeHistorySchema,
  scanDetailSchema,
  scanListQuerySchema,
  scanListSchema,
  scanParamsSchema,
  scanRawSchema,
  scanRunSchema,
  scanTargetCreateSchema,
  scanTargetListQuerySchema,
  scanTargetListSchema,
  scanTargetParamsSchema,
  scanTargetSchema,
  scanTargetUpdateSchema,
  scanVerifyResultSchema,
  scanVerifySchema,
} from '@bastion/contract';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { forbidden } from '../../http/errors.js';
import {
  findScan,
  gradeHistory,
  listScans,
  presentScanDetail,
  requestScan,
} from './scans-service.js';
import {
  createTarget,
  deleteTarget,
  findTarget,
  listTargets,
  markVerified,
  updateTarget,
  type Viewer,
} from './targets.js';
import { presentTarget } from './target-presenter.js';
import { checkOwnership, PROOF_METHODS, verifyOptions } from './verification.js';

const read = { access: 'authenticated' as const, scopes: ['scans:read'] };
const run = { access: 'authenticated' as const, scopes: ['scans:run'] };
const tags = ['scans'];
const errors = { 400: errorResponseSchema, 404: errorResponseSchema };

function viewerOf(request: FastifyRequest): Viewer {
  const { auth } = request;
  // API keys act for no user; admins issue them, so they see what staff see.
  const staff = auth.kind === 'api_key' || auth.role === 'staff' || auth.role === 'admin';
  return { userId: auth.userId, staff };
}

/** Targets, verification, "scan now", scans with their findings and raw output, grade history. */
export const scansRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/scans/targets',
    {
      config: read,
      schema: {
        tags,
        summary: 'Scan targets: your own (staff: everyone’s), with the latest grade and a trend',
        querystring: scanTargetListQuerySchema,
        response: { 200: scanTargetListSchema, 400: errorResponseSchema },
      },
    },
    async (request) => listTargets(app.db, viewerOf(request), request.query),
  );

  app.post(
    '/api/v1/scans/targets',
    {
      config: run,
      schema: {
        tags,
        summary: 'Register a web site to scan (verify it before scheduling it)',
        body: scanTargetCreateSchema,
        response: { 201: scanTargetSchema, ...errors, 403: errorResponseSchema },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth;
      if (!userId) throw forbidden('A target belongs to a user: use a personal API token.');
      const row = await createTarget(app.db, userId, request.body);
      return reply.code(201).send(await presentTarget(app.db, row));
    },
  );

  app.get(
    '/api/v1/scans/targets/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One scan target',
        params: scanTargetParamsSchema,
        response: { 200: scanTargetSchema, ...errors },
      },
    },
    async (request) =>
      presentTarget(app.db, await findTarget(app.db, viewerOf(request), request.params.id)),
  );

  app.patch(
    '/api/v1/scans/targets/:id',
    {
      config: run,
      schema: {
        tags,
        summary: 'Change a target (a new host must be verified again)',
        params: scanTargetParamsSchema,
        body: scanTargetUpdateSchema,
        response: { 200: scanTargetSchema, ...errors },
      },
    },
    async (request) => {
      const row = await updateTarget(app.db, viewerOf(request), request.params.id, request.body);
      return presentTarget(app.db, row);
    },
  );

  app.delete(
    '/api/v1/scans/targets/:id',
    {
      config: run,
      schema: {
        tags,
        summary: 'Delete a target (its scans go with it from every view)',
        params: scanTargetParamsSchema,
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      await deleteTarget(app.db, viewerOf(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/scans/targets/:id/verify',
    {
      config: run,
      schema: {
        tags,
        summary:
          'Check the ownership proof: the file /.well-known/bastion-verification.txt, a DNS TXT record or a meta tag; staff may mark a target verified',
        params: scanTargetParamsSchema,
        body: scanVerifySchema,
        response: { 200: scanVerifyResultSchema, ...errors, 403: errorResponseSchema },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const target = await findTarget(app.db, viewer, request.params.id);
      const { method } = request.body;
      if (method === 'staff') {
        if (!viewer.staff) throw forbidden('Only staff may mark a target verified.');
        const row = await markVerified(app.db, target, 'staff');
        return {
          verified: true,
          checks: [{ method: 'staff' as const, ok: true, detail: 'Marked verified by staff.' }],
          target: await presentTarget(app.db, row),
        };
      }
      const checks = await checkOwnership(
        target.url,
        target.verificationToken,
        method ? [method] : PROOF_METHODS,
        verifyOptions(app.config),
      );
      const proof = checks.find((check) => check.ok);
      const row = proof ? await markVerified(app.db, target, proof.method) : target;
      return {
        verified: proof !== undefined || row.verifiedAt !== null,
        checks,
        target: await presentTarget(app.db, row),
      };
    },
  );

  app.post(
    '/api/v1/scans/targets/:id/scans',
    {
      config: run,
      schema: {
        tags,
        summary:
          'Scan now: 202 with the queued scan; 200 with a finished scan younger than 24 h unless force; 429 within 60 s of the last scan',
        params: scanTargetParamsSchema,
        body: scanRunSchema,
        response: {
          200: scanDetailSchema,
          202: scanDetailSchema,
          ...errors,
          403: errorResponseSchema,
          429: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const { scan, created } = await requestScan(app.db, {
        viewer: viewerOf(request),
        targetId: request.params.id,
        force: request.body.force,
        trigger: request.auth.kind === 'session' ? 'manual' : 'api',
        manualQuota: app.config.scans.manualQuota,
        jobs: app.jobs,
      });
      const inProgress = scan.state === 'pending' || scan.state === 'running';
      return reply.code(created || inProgress ? 202 : 200).send(presentScanDetail(scan));
    },
  );

  app.get(
    '/api/v1/scans/targets/:id/scans',
    {
      config: read,
      schema: {
        tags,
        summary: 'A target’s scans, newest first',
        params: scanTargetParamsSchema,
        querystring: scanListQuerySchema,
        response: { 200: scanListSchema, ...errors },
      },
    },
    async (request) => listScans(app.db, viewerOf(request), request.params.id, request.query),
  );

  app.get(
    '/api/v1/scans/targets/:id/history',
    {
      config: read,
      schema: {
        tags,
        summary: 'Grade history of a target (finished scans, oldest first)',
        params: scanTargetParamsSchema,
        querystring: gradeHistoryQuerySchema,
        response: { 200: gradeHistorySchema, ...errors },
      },
    },
    async (request) =>
      gradeHistory(app.db, viewerOf(request), request.params.id, request.query.days),
  );

  app.get(
    '/api/v1/scans/scans/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One scan with its report (findings, scores); poll it while it runs',
        params: scanParamsSchema,
        response: { 200: scanDetailSchema, ...errors },
      },
    },
    async (request) =>
      presentScanDetail(await findScan(app.db, viewerOf(request), request.params.id)),
  );

  app.get(
    '/api/v1/scans/scans/:id/raw',
    {
      config: read,
      schema: {
        tags,
        summary:
          'Raw output of a scan (hops, headers, certificate chains, HTML hash) as a JSON download',
        params: scanParamsSchema,
        response: { 200: scanRawSchema, ...errors },
      },
    },
    async (request, reply) => {
      const scan = await findScan(app.db, viewerOf(request), request.params.id);
      return reply
        .header('content-disposition', `attachment; filename="scan-${scan.id}.json"`)
        .send((scan.raw as Record<string, unknown> | null) ?? {});
    },
  );
};
