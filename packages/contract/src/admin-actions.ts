import { z } from 'zod';
import { int, queryText, text } from './primitives.js';
import {
  adminFiltersSchema,
  adminRecordIdSchema,
  adminResourceParamsSchema,
  ADMIN_DELETED_MODES,
} from './admin.js';

// Admin actions (POST /admin/resources/{resource}/actions/{action}): on picked ids or on
// everything a filter matches; a preview counts, small runs answer at once, big ones are a job.

export const adminActionParamsSchema = adminResourceParamsSchema.extend({
  action: queryText(64).regex(/^[a-z][a-z0-9-]*$/, 'Not an action name.'),
});
export const ADMIN_MAX_SELECTED_IDS = 1000;
/** Rows up to this many run inside the request; more run as an `admin.action-run` job. */
export const ADMIN_INLINE_ACTION_ROWS = 200;
export const adminActionRequestSchema = z
  .object({
    ids: z.array(adminRecordIdSchema).min(1).max(ADMIN_MAX_SELECTED_IDS).optional(),
    /** Everything matching a search and filters (what the list shows). */
    all: z
      .object({
        q: text(200).optional(),
        filters: adminFiltersSchema.optional(),
        deleted: z.enum(ADMIN_DELETED_MODES).optional(),
      })
      .optional(),
    /** Only count the rows the action would touch. */
    preview: z.boolean().optional(),
    /** For destructive actions: the count, typed by the user. */
    confirm: int(0, 100_000_000).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.ids === undefined) === (value.all === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['ids'], message: 'Give either ids or all.' });
    }
  });
export type AdminActionRequest = z.infer<typeof adminActionRequestSchema>;

export const adminRowErrorSchema = z.object({ id: z.string(), message: z.string() });
export const adminActionPreviewSchema = z.object({
  kind: z.literal('preview'),
  count: z.number().int(),
});
export const adminActionDoneSchema = z.object({
  kind: z.literal('done'),
  done: z.number().int(),
  failed: z.number().int(),
  errors: z.array(adminRowErrorSchema),
});
export const adminActionResultSchema = z.discriminatedUnion('kind', [
  adminActionPreviewSchema,
  adminActionDoneSchema,
]);
export type AdminActionResult = z.infer<typeof adminActionResultSchema>;

export const ADMIN_ACTION_RUN_STATES = ['queued', 'running', 'done', 'failed'] as const;
export const adminActionRunSchema = z.object({
  id: z.uuid(),
  resource: z.string(),
  action: z.string(),
  state: z.enum(ADMIN_ACTION_RUN_STATES),
  total: z.number().int(),
  done: z.number().int(),
  failed: z.number().int(),
  /** The first errors, per row. */
  errors: z.array(adminRowErrorSchema),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export type AdminActionRun = z.infer<typeof adminActionRunSchema>;
export const adminActionQueuedSchema = z.object({ run: adminActionRunSchema });
export const adminActionRunParamsSchema = z.object({ id: z.uuid() });
