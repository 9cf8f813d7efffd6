import { z } from 'zod';
import { decimal, int, numericQueryText, queryInt, queryText, text } from './primitives.js';

// The CRM API: leads (the shared bench contract: snake_case JSON, DRF-style pagination),
// their timeline, CSV import/export and the newsletter. Field limits mirror the SQL columns.

/** API-token scopes of the CRM's routes, and the least role that may grant each to a token. */
export const CRM_SCOPES = {
  'leads:read': 'staff',
  'leads:write': 'staff',
  'newsletter:read': 'staff',
  'newsletter:write': 'staff',
} as const;

export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;
export const leadStatusSchema = z.enum(LEAD_STATUSES);
export type LeadStatus = z.infer<typeof leadStatusSchema>;

export const LEAD_ORDERINGS = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'full_name',
  '-full_name',
  'company_name',
  '-company_name',
  'status',
  '-status',
  'value',
  '-value',
] as const;
export const LEAD_PAGE_SIZE = 50;
export const LEAD_MAX_PAGE_SIZE = 200;

export const leadSchema = z.object({
  id: z.number().int(),
  full_name: z.string(),
  position: z.string(),
  company_name: z.string().nullable(),
  phone_number: z.string().nullable(),
  email: z.string().nullable(),
  source: z.string(),
  status: leadStatusSchema,
  category: z.string().nullable(),
  notes: z.string().nullable(),
  owner_id: z.string().nullable(),
  tags: z.array(z.string()),
  value: z.number().nullable().describe('Expected deal value'),
  created_at: z.string().describe('ISO 8601, UTC'),
  updated_at: z.string().describe('ISO 8601, UTC'),
});
export type Lead = z.infer<typeof leadSchema>;

export const leadListSchema = z.object({
  count: z.number().int(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(leadSchema),
});
export type LeadList = z.infer<typeof leadListSchema>;

/**
 * The leads list keeps DRF's lenient rules (the bench contract and the website clients written
 * against the Django original rely on them): a `page` that is not an integer, or past the last
 * page, is a 404 "Invalid page."; a bad `page_size` means the default. So both arrive as text
 * and the server applies those rules (crm/pagination.ts). Typed as what a client sends.
 */
export const leadListQuerySchema = z.object({
  status: queryText(50).optional(),
  source: queryText(50).optional(),
  category: queryText(50).optional(),
  search: queryText(200).optional(),
  ordering: queryText(100).optional(),
  owner_id: queryText(100).optional(),
  page: numericQueryText(100).optional(),
  page_size: numericQueryText(100).optional(),
});
/** What a client passes (`page: 2`); the server reads the parsed strings. */
export type LeadListQuery = z.input<typeof leadListQuerySchema>;
/** The export takes the list's filters (paging ignored). */
export const leadExportQuerySchema = leadListQuerySchema.omit({ page: true, page_size: true });

/**
 * A trimmed optional text; blank becomes null so "no email" is always null, never "". Absent
 * stays undefined, so a PATCH leaves the field alone.
 */
const optionalText = (max: number) =>
  text(max, { trim: true })
    .nullish()
    .transform((value) => (value === undefined ? undefined : value || null));

const fullName = text(255, { trim: true, required: 'This field is required.' })
  .min(2, 'Ensure this field has at least 2 characters.')
  .refine((value) => !/^\d+$/.test(value), 'Full name cannot consist of digits only.');

// Built once: constructing a zod schema inside the refinement would cost it on every request.
const emailFormat = z.email();
const email = text(254, { trim: true })
  .refine((value) => value === '' || emailFormat.safeParse(value).success, {
    message: 'Enter a valid email address.',
  })
  .nullish()
  .transform((value) => (value === undefined ? undefined : value ? value.toLowerCase() : null));

/** numeric(14, 2): at most twelve digits before the point. */
const dealValue = decimal(0, 999_999_999_999.99);

const leadFields = {
  full_name: fullName,
  position: text(255, { trim: true })
    .nullish()
    .transform((value) => value ?? ''),
  company_name: optionalText(255),
  phone_number: optionalText(32),
  email,
  source: text(50, { trim: true }).min(1).default('website'),
  status: leadStatusSchema.default('new'),
  category: optionalText(50),
  notes: optionalText(5000),
  owner_id: z.uuid().nullish(),
  tags: z
    .array(text(50, { trim: true }).min(1))
    .max(20)
    .optional(),
  value: dealValue.nullish(),
};

export const leadCreateSchema = z
  .object(leadFields)
  .refine((lead) => Boolean(lead.email || lead.phone_number), {
    message: 'Either email or phone_number is required.',
    path: ['email'],
  });
export type LeadCreateInput = z.input<typeof leadCreateSchema>;
export type LeadCreate = z.output<typeof leadCreateSchema>;

/** PATCH: every field optional; the email-or-phone rule is checked against the merged lead. */
export const leadUpdateSchema = z.object({
  full_name: fullName.optional(),
  position: text(255, { trim: true }).optional(),
  company_name: optionalText(255),
  phone_number: optionalText(32),
  email,
  source: text(50, { trim: true }).min(1).optional(),
  status: leadStatusSchema.optional(),
  category: optionalText(50),
  notes: optionalText(5000),
  owner_id: z.uuid().nullish(),
  tags: z
    .array(text(50, { trim: true }).min(1))
    .max(20)
    .optional(),
  value: dealValue.nullish(),
});
export type LeadUpdateInput = z.input<typeof leadUpdateSchema>;

export const leadBulkStatusSchema = z.object({
  ids: z.array(int(1, Number.MAX_SAFE_INTEGER)).min(1).max(500),
  status: leadStatusSchema,
});
export const leadBulkResultSchema = z.object({ updated: z.number().int() });

/** DRF's 404 body, kept next to Bastion's error envelope for bench/DRF clients. */
export const drfNotFoundSchema = z.object({
  detail: z.string(),
  error: z.object({ code: z.string(), message: z.string(), requestId: z.string() }),
});

export const LEAD_ACTIVITY_KINDS = [
  'created',
  'status_changed',
  'updated',
  'note',
  'imported',
] as const;
export const leadActivitySchema = z.object({
  id: z.number().int(),
  kind: z.enum(LEAD_ACTIVITY_KINDS),
  from_status: z.string().nullable(),
  to_status: z.string().nullable(),
  message: z.string().nullable(),
  actor_id: z.string().nullable(),
  created_at: z.string(),
});
export type LeadActivity = z.infer<typeof leadActivitySchema>;
/** Someone a lead can be assigned to: an active staff member or admin. */
export const leadOwnerSchema = z.object({
  id: z.string(),
  name: z.string().describe('Display name, or the email when none is set'),
  email: z.string(),
});
export const leadOwnerListSchema = z.object({ results: z.array(leadOwnerSchema) });
export type LeadOwner = z.infer<typeof leadOwnerSchema>;

export const leadTimelineSchema = z.object({ results: z.array(leadActivitySchema) });
export const leadNoteSchema = z.object({ message: text(5000, { trim: true }).min(1) });

export const leadStatsSchema = z.object({
  by_status: z.array(
    z.object({
      status: leadStatusSchema,
      count: z.number().int(),
      value: z.number().describe('Sum of the deal values of the leads in this status'),
    }),
  ),
  by_source: z.array(
    z.object({ source: z.string(), total: z.number().int(), converted: z.number().int() }),
  ),
  per_day: z.array(z.object({ day: z.string(), count: z.number().int() })),
});
export type LeadStats = z.infer<typeof leadStatsSchema>;

// --- CSV import
/** The file goes as the raw request body (`Content-Type: text/csv`), its name in the query. */
export const LEAD_IMPORT_CONTENT_TYPES = ['text/csv', 'text/plain', 'application/vnd.ms-excel'];
export const LEAD_IMPORT_MAX_BYTES = 20 * 1024 * 1024;
export const leadImportQuerySchema = z.object({
  filename: queryText(255).default('leads.csv'),
});
/** The file, as the raw body; each row is then checked with `leadCreateSchema` (per-row errors). */
export const leadImportBodySchema = z
  .string()
  .describe('The CSV file, header row first; at most 50,000 rows, 20 MiB.');
/**
 * `/leads/:id` of the DRF-compatible routes: any text, parsed by the route, because DRF answers
 * 404 (not 400) to an id that is not a number.
 */
export const leadDrfIdParamsSchema = z.object({ id: queryText(100) });
/** Lead ids in paths (`/leads/:id/timeline`): positive integers, bounded like the column. */
export const leadIdParamsSchema = z.object({ id: queryInt(1, Number.MAX_SAFE_INTEGER) });
export const leadImportParamsSchema = z.object({ id: z.uuid() });
export const leadImportRowErrorSchema = z.object({
  row: z.number().int().describe('1-based data row number (the header is row 0)'),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});
export const leadImportSchema = z.object({
  id: z.string(),
  // `parsing` while the upload is still being read (the upload's answer comes after it).
  status: z.enum(['parsing', 'preview', 'running', 'done', 'failed']),
  filename: z.string(),
  total_rows: z.number().int(),
  valid_rows: z.number().int(),
  duplicate_rows: z.number().int(),
  invalid_rows: z.number().int(),
  processed_rows: z.number().int(),
  created_rows: z.number().int(),
  errors: z.array(leadImportRowErrorSchema),
  duplicates: z.array(z.object({ row: z.number().int(), email: z.string() })),
  preview: z.array(
    z.object({
      row: z.number().int(),
      full_name: z.string(),
      email: z.string().nullable(),
      company_name: z.string().nullable(),
      status: z.string(),
    }),
  ),
  created_at: z.string(),
});
export type LeadImport = z.infer<typeof leadImportSchema>;

// --- Newsletter
export const SUBSCRIBER_STATUSES = ['pending', 'confirmed', 'unsubscribed'] as const;
export const newsletterSubscribeSchema = z.object({
  email: text(254, { trim: true }).toLowerCase().pipe(z.email('Enter a valid email address.')),
  full_name: text(255, { trim: true }).optional(),
  source: text(50, { trim: true }).optional(),
});
export const newsletterSubscriberSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  full_name: z.string().nullable(),
  source: z.string(),
  status: z.enum(SUBSCRIBER_STATUSES),
  confirmed_at: z.string().nullable(),
  unsubscribed_at: z.string().nullable(),
  created_at: z.string(),
});
export type NewsletterSubscriber = z.infer<typeof newsletterSubscriberSchema>;
export const newsletterSubscribeResultSchema = z.object({
  status: z.enum(['pending', 'confirmed']),
  message: z.string(),
});
export const newsletterTokenSchema = z.object({ token: text(500).min(10) });
/** Unsubscribe: the token comes in the link's query, or in an RFC 8058 one-click form body. */
export const newsletterUnsubscribeQuerySchema = z.object({ token: queryText(500).optional() });
export const newsletterUnsubscribeBodySchema = z
  .object({ token: text(500).optional() })
  .passthrough()
  .optional();
export const newsletterActionResultSchema = z.object({
  status: z.enum(SUBSCRIBER_STATUSES),
  email: z.string(),
});
export const newsletterListQuerySchema = z.object({
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  search: queryText(200).optional(),
  page: queryInt(1, 100_000).default(1),
  page_size: queryInt(1, 200).default(50),
});
export type NewsletterListQuery = z.input<typeof newsletterListQuerySchema>;
export const newsletterExportQuerySchema = z.object({
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
});
export const newsletterListSchema = z.object({
  count: z.number().int(),
  results: z.array(newsletterSubscriberSchema),
});
