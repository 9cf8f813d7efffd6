import { z } from 'zod';
import { queryInt, queryText, text } from './primitives.js';

// The generic admin API (/api/v1/admin): every module's resources through one set of endpoints.
// Records travel as `{ id, <field>: value }` with only the fields the caller may read; the
// resource metadata (GET /resources) tells a client everything it needs to build lists and forms.

/** Field kinds a resource may declare; the web app picks an input and a cell renderer from it. */
export const ADMIN_FIELD_TYPES = [
  'text',
  'textarea',
  'email',
  'url',
  'number',
  'integer',
  'boolean',
  'select',
  'tags',
  'date',
  'datetime',
  'json',
  'fk',
  'uuid',
] as const;
export const adminFieldTypeSchema = z.enum(ADMIN_FIELD_TYPES);
export type AdminFieldType = z.infer<typeof adminFieldTypeSchema>;

/** How a filter of a field is given: a choice, a boolean, a date range, a foreign key, a value. */
export const ADMIN_FILTER_KINDS = ['choice', 'boolean', 'date', 'fk', 'value'] as const;
export const adminFilterKindSchema = z.enum(ADMIN_FILTER_KINDS);
export type AdminFilterKind = z.infer<typeof adminFilterKindSchema>;

/** A resource's URL segment (`leads`, `lead-notes`). */
export const adminResourceNameSchema = queryText(64).regex(
  /^[a-z][a-z0-9-]*$/,
  'Resource names are lowercase letters, digits and dashes.',
);
/** A record id as the URL carries it: a number or a uuid, always as text in this API. */
export const adminRecordIdSchema = queryText(64).regex(/^[A-Za-z0-9-]+$/, 'Not a valid id.');

export const adminChoiceSchema = z.object({ value: z.string(), label: z.string() });
export type AdminChoice = z.infer<typeof adminChoiceSchema>;

export const adminFieldMetaSchema = z.object({
  name: z.string(),
  label: z.string(),
  type: adminFieldTypeSchema,
  choices: z.array(adminChoiceSchema).optional(),
  /** For `fk` fields: the resource the value points at (pick it with its lookup endpoint). */
  ref: z.string().optional(),
  help: z.string().optional(),
  /** Whether the caller may read the field (unreadable fields never carry a value). */
  readable: z.boolean(),
  /** Whether the caller may set it on create / change it on edit. */
  creatable: z.boolean(),
  editable: z.boolean(),
  required: z.boolean(),
});
export type AdminFieldMeta = z.infer<typeof adminFieldMetaSchema>;

export const adminFilterMetaSchema = z.object({
  field: z.string(),
  kind: adminFilterKindSchema,
  choices: z.array(adminChoiceSchema).optional(),
  ref: z.string().optional(),
});
export type AdminFilterMeta = z.infer<typeof adminFilterMetaSchema>;

export const adminActionMetaSchema = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string().optional(),
  /** Destructive actions need `confirm` equal to the number of rows they will touch. */
  destructive: z.boolean(),
  /** Offered on a selection / on everything matching the filter. */
  bulk: z.boolean(),
  /** Offered on one object's page. */
  row: z.boolean(),
});
export type AdminActionMeta = z.infer<typeof adminActionMetaSchema>;

export const adminInlineMetaSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** The inline's own resource (list it with `filters={"<field>": id}`). */
  resource: z.string(),
  /** The field of the inline resource pointing at the parent. */
  field: z.string(),
});
export type AdminInlineMeta = z.infer<typeof adminInlineMetaSchema>;

export const adminPermissionsSchema = z.object({
  list: z.boolean(),
  view: z.boolean(),
  create: z.boolean(),
  edit: z.boolean(),
  delete: z.boolean(),
});
export type AdminPermissions = z.infer<typeof adminPermissionsSchema>;

export const adminResourceMetaSchema = z.object({
  name: z.string(),
  /** The module the resource belongs to (the sidebar groups by it). */
  module: z.string(),
  label: z.string(),
  labelPlural: z.string(),
  /** The field shown for an object in pickers, the palette and breadcrumbs. */
  title: z.string(),
  fields: z.array(adminFieldMetaSchema),
  /** Default list columns (readable ones only). */
  list: z.array(z.string()),
  /** Whether `q` searches something (and which fields). */
  search: z.array(z.string()),
  filters: z.array(adminFilterMetaSchema),
  sortable: z.array(z.string()),
  /** `field` ascending or `-field` descending. */
  defaultSort: z.string(),
  permissions: adminPermissionsSchema,
  actions: z.array(adminActionMetaSchema),
  inlines: z.array(adminInlineMetaSchema),
  softDelete: z.boolean(),
  restorable: z.boolean(),
  /** The module's own CSV import (dry run, per-row errors), when the caller may use it. */
  import: z.object({ label: z.string(), href: z.string() }).optional(),
});
export type AdminResourceMeta = z.infer<typeof adminResourceMetaSchema>;
export const adminResourceListSchema = z.object({ items: z.array(adminResourceMetaSchema) });

export const adminResourceParamsSchema = z.object({ resource: adminResourceNameSchema });
export const adminRecordParamsSchema = z.object({
  resource: adminResourceNameSchema,
  id: adminRecordIdSchema,
});

/** A filter value: a choice or value, a boolean, a date range, or a few choices. */
export const adminDateRangeSchema = z
  .object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) })
  .partial();
export const adminFilterValueSchema = z.union([
  text(500),
  z.number(),
  z.boolean(),
  z.null(),
  adminDateRangeSchema,
  z.array(text(500)).max(50),
]);
export type AdminFilterValue = z.infer<typeof adminFilterValueSchema>;
export const adminFiltersSchema = z.record(text(64), adminFilterValueSchema);
export type AdminFilters = z.infer<typeof adminFiltersSchema>;

export const ADMIN_DELETED_MODES = ['exclude', 'include', 'only'] as const;
export const ADMIN_MAX_LIMIT = 200;

/** What selects rows: search, filters, soft-deleted rows. Shared by list, export and actions. */
const selectionQuery = {
  q: queryText(200).optional(),
  /** JSON object: `{"status":"new","createdAt":{"from":"…","to":"…"},"ownerId":"…"}`. */
  filters: queryText(2000).optional(),
  deleted: z.enum(ADMIN_DELETED_MODES).optional(),
};

export const adminListQuerySchema = z.object({
  ...selectionQuery,
  /** `field` or `-field`, one of the resource's sortable fields. */
  sort: queryText(100).optional(),
  /** Opaque, from the previous page's `nextCursor`. */
  cursor: queryText(1000).optional(),
  limit: queryInt(1, ADMIN_MAX_LIMIT).default(50),
  /** Comma-separated fields to return (default: the resource's list columns). */
  columns: queryText(2000).optional(),
  /** Comma-separated choice/boolean fields to count values of (opt-in: it costs a query each). */
  facets: queryText(500).optional(),
});
export type AdminListQuery = z.infer<typeof adminListQuerySchema>;

export const adminExportQuerySchema = z.object({
  ...selectionQuery,
  sort: queryText(100).optional(),
  columns: queryText(2000).optional(),
});
export type AdminExportQuery = z.infer<typeof adminExportQuerySchema>;

/** One record: its id and the readable fields asked for. */
export const adminRecordSchema = z.object({ id: z.string() }).catchall(z.unknown());
export type AdminRecord = z.infer<typeof adminRecordSchema>;

/** Exact up to a threshold; above it PostgreSQL's estimate, with `exact: false`. */
export const adminCountSchema = z.object({ value: z.number().int(), exact: z.boolean() });
export type AdminCount = z.infer<typeof adminCountSchema>;

export const adminFacetSchema = z.object({
  exact: z.boolean(),
  values: z.array(z.object({ value: z.unknown(), count: z.number().int() })),
});
export type AdminFacet = z.infer<typeof adminFacetSchema>;

export const adminListSchema = z.object({
  items: z.array(adminRecordSchema),
  nextCursor: z.string().nullable(),
  count: adminCountSchema,
  facets: z.record(z.string(), adminFacetSchema).optional(),
  /** Per foreign-key field, the titles of the ids on this page the caller may look up. */
  refs: z.record(z.string(), z.record(z.string(), z.string())).optional(),
});
export type AdminList = z.infer<typeof adminListSchema>;

export const adminInlineRowsSchema = z.object({
  name: z.string(),
  resource: z.string(),
  items: z.array(adminRecordSchema),
  nextCursor: z.string().nullable(),
  count: adminCountSchema,
});
export type AdminInlineRows = z.infer<typeof adminInlineRowsSchema>;

export const adminDetailSchema = z.object({
  record: adminRecordSchema,
  /** Whether the row is soft-deleted. */
  deleted: z.boolean(),
  /** The row actions this object's page offers: the caller may run them and they apply to it. */
  actions: z.array(z.string()),
  inlines: z.array(adminInlineRowsSchema),
  /** The object's page in the web app ("view on site"), when the resource has one. */
  siteUrl: z.string().optional(),
});
export type AdminDetail = z.infer<typeof adminDetailSchema>;

/** Create/update body: field name → value; the resource's own zod schema validates it. */
export const adminWriteBodySchema = z.record(text(64), z.unknown());
export type AdminWriteBody = z.infer<typeof adminWriteBodySchema>;

export const adminWriteResultSchema = z.object({
  record: adminRecordSchema,
  /** Values shown this once and never again (a new API key's secret). */
  secrets: z.record(z.string(), z.string()).optional(),
});
export type AdminWriteResult = z.infer<typeof adminWriteResultSchema>;

export const adminChangeSchema = z.object({ before: z.unknown(), after: z.unknown() });
export const adminHistoryEntrySchema = z.object({
  id: z.string(),
  /** `created`, `updated`, `deleted`, `restored` or `action:<name>`. */
  kind: z.string(),
  action: z.string(),
  actorId: z.string().nullable(),
  actor: z.string(),
  /** The acting user's name, else their email; null for API keys, jobs and deleted users. */
  actorName: z.string().nullable(),
  requestId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** Per field before/after; fields the caller cannot read are left out. */
  changes: z.record(z.string(), adminChangeSchema),
  /** Whether POST …/history/{eventId}/restore would bring this entry's `before` back. */
  restorable: z.boolean(),
});
export type AdminHistoryEntry = z.infer<typeof adminHistoryEntrySchema>;
export const adminHistoryQuerySchema = z.object({
  cursor: queryText(200).optional(),
  limit: queryInt(1, 100).default(50),
});
export const adminHistorySchema = z.object({
  items: z.array(adminHistoryEntrySchema),
  nextCursor: z.string().nullable(),
});
export type AdminHistory = z.infer<typeof adminHistorySchema>;
export const adminRestoreParamsSchema = adminRecordParamsSchema.extend({ eventId: z.uuid() });

export const adminLookupQuerySchema = z.object({ q: queryText(200).optional() });
export const adminLookupItemSchema = z.object({ id: z.string(), label: z.string() });
export const adminLookupSchema = z.object({ items: z.array(adminLookupItemSchema) });
export type AdminLookup = z.infer<typeof adminLookupSchema>;

export const adminSearchQuerySchema = z.object({ q: queryText(200) });
export const adminSearchHitSchema = z.object({
  resource: z.string(),
  resourceLabel: z.string(),
  id: z.string(),
  label: z.string(),
});
export const adminSearchSchema = z.object({ items: z.array(adminSearchHitSchema) });
export type AdminSearchHit = z.infer<typeof adminSearchHitSchema>;
