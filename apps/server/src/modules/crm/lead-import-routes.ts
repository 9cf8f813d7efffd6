import { Readable } from 'node:stream';
import {
  errorResponseSchema,
  LEAD_IMPORT_CONTENT_TYPES,
  LEAD_IMPORT_MAX_BYTES,
  leadImportBodySchema,
  leadImportParamsSchema,
  leadImportQuerySchema,
  leadImportSchema,
} from '@bastion/contract';
import { eq } from 'drizzle-orm';
import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { badRequest, conflict, HttpError, notFound } from '../../http/errors.js';
import { chargeImportRows, withImportSlot, type ImportLimits } from './import-limits.js';
import { insertParsingImport, presentImport, previewLeadImport } from './lead-import.js';
import { startLeadImport } from './lead-import-run.js';
import { principalOf } from './principal.js';
import { leadImports } from './schema.js';

const read = { access: 'staff' as const, scopes: ['leads:read'] };
const write = { access: 'staff' as const, scopes: ['leads:write'] };

export interface LeadImportOptions {
  /** Runs an import that was moved to `running` (a job, or in-process without a queue). */
  runImport(importId: string): Promise<void>;
  limits: ImportLimits;
}

// The upload's body is the CSV as a stream, read by the handler: it is not validated as one
// value (that would mean holding it whole). Its schema is there for the OpenAPI document.
const streamedBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body'
    ? (data) => ({ value: data })
    : validatorCompiler(route as Parameters<typeof validatorCompiler>[0]);

function charsetOf(contentType: string | undefined): string | undefined {
  return /;\s*charset="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];
}

/** CSV import: upload (read and checked, nothing created), look at it, apply it. */
export function leadImportRoutes(options: LeadImportOptions): FastifyPluginAsyncZod {
  const { limits } = options;
  return async (app) => {
    // The body stays the request stream: the import reads it as it arrives (see csv-reader.ts).
    app.addContentTypeParser(LEAD_IMPORT_CONTENT_TYPES, (_request, payload, done) =>
      done(null, payload),
    );

    app.post(
      '/api/v1/leads/imports',
      {
        config: write,
        validatorCompiler: streamedBody,
        schema: {
          tags: ['crm'],
          summary:
            'Upload a CSV (body: the file, Content-Type: text/csv, UTF-8 unless a charset is given): checks it, creates nothing',
          consumes: LEAD_IMPORT_CONTENT_TYPES,
          querystring: leadImportQuerySchema,
          body: leadImportBodySchema,
          response: {
            201: leadImportSchema,
            400: errorResponseSchema,
            413: errorResponseSchema,
            415: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const body: unknown = request.body;
        if (!(body instanceof Readable)) {
          if (body === undefined || body === '' || body === null) {
            throw badRequest('The file is empty.', [
              { path: ['file'], message: 'The file is empty.' },
            ]);
          }
          throw new HttpError(415, 'unsupported_media_type', 'Send the file as text/csv.');
        }
        if (Number(request.headers['content-length'] ?? 0) > LEAD_IMPORT_MAX_BYTES) {
          const message = `The file is larger than ${LEAD_IMPORT_MAX_BYTES / 1024 / 1024} MiB.`;
          throw new HttpError(413, 'payload_too_large', message, [{ path: ['file'], message }]);
        }
        const caller = principalOf(request);
        const started = await withImportSlot(app.db, limits, caller, reply, (tx) =>
          insertParsingImport(tx, request.query.filename, caller),
        );
        const row = await previewLeadImport(app.db, started.id, {
          body,
          charset: charsetOf(request.headers['content-type']),
        });
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
          summary:
            'Create the valid, non-duplicate rows of a previewed import (in the background); each row counts against the caller’s lead-creation budget',
          params: leadImportParamsSchema,
          response: {
            202: leadImportSchema,
            404: errorResponseSchema,
            409: errorResponseSchema,
            429: errorResponseSchema,
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const [row] = await app.db.select().from(leadImports).where(eq(leadImports.id, id));
        if (!row) throw notFound('Import');
        const alreadyApplied = () => conflict('This import has already been applied.');
        if (row.status !== 'preview') throw alreadyApplied();
        const caller = principalOf(request);
        await withImportSlot(app.db, limits, caller, reply, async (tx) => {
          // The budget is taken before the import starts and given back if it does not.
          const refund = await chargeImportRows(limits, request, reply, caller, row.validRows);
          try {
            if (!(await startLeadImport(tx, id))) throw alreadyApplied();
          } catch (error) {
            await refund();
            throw error;
          }
        });
        await options.runImport(id);
        const [current] = await app.db.select().from(leadImports).where(eq(leadImports.id, id));
        return reply.code(202).send(presentImport(current!));
      },
    );
  };
}
