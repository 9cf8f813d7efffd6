import {
  LEAD_ACTIVITY_KINDS,
  LEAD_STATUSES,
  leadCreateSchema,
  leadNoteSchema,
  leadUpdateSchema,
  int,
  type LeadStatus,
} from '@bastion/contract';
import { and, eq, isNull } from 'drizzle-orm';
import { defineAdminResource, type AdminContext } from '../../admin/define.js';
import { fieldError, HttpError } from '../../http/errors.js';
import { assertLeadOwner } from './lead-owners.js';
import { assertAcceptableEmail, writeLeadPatch } from './lead-service.js';
import { newsletterSubscribersAdmin } from './newsletter-admin.js';
import { leadActivities, leadImports, leads } from './schema.js';

// The CRM in the generic admin. Writes go through the CRM's own schemas and rules (disposable
// emails, owners must be active staff, email-or-phone, the timeline), so a lead edited here is
// the same as one edited through /api/v1/leads.

/** The CRM's import page, linked from the leads and imports lists (staff, as its API). */
const LEAD_IMPORT = {
  label: 'Import leads from CSV',
  href: '/crm/import',
  access: 'staff' as const,
};

/** The CRM's schemas speak snake_case; their service errors are renamed to the admin fields. */
const LEAD_INPUTS = {
  full_name: 'fullName',
  company_name: 'companyName',
  phone_number: 'phoneNumber',
  owner_id: 'ownerId',
} as const;

async function withAdminNames<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof HttpError) || !error.details) throw error;
    const details = error.details.map((detail) => {
      const [head, ...rest] = detail.path;
      const name = LEAD_INPUTS[head as keyof typeof LEAD_INPUTS];
      return name ? { ...detail, path: [name, ...rest] } : detail;
    });
    throw new HttpError(error.statusCode, error.code, error.message, details, error.headers);
  }
}

async function liveLead(ctx: AdminContext, id: number) {
  const [row] = await ctx.db
    .select()
    .from(leads)
    .where(and(eq(leads.id, id), isNull(leads.deletedAt)));
  return row;
}

const statusLabel = (status: string) => status.charAt(0).toUpperCase() + status.slice(1);

/** "Mark lost", "Mark qualified"…: a status change with its timeline entry, like the board's. */
const statusActions = LEAD_STATUSES.map((status: LeadStatus) => ({
  name: `mark-${status}`,
  label: `Mark ${statusLabel(status).toLowerCase()}`,
  description: `Moves the lead to “${statusLabel(status)}” and records it on its timeline.`,
  appliesTo: (row: typeof leads.$inferSelect) => row.status !== status,
  async run(ctx: AdminContext, row: typeof leads.$inferSelect) {
    if (row.status === status) return;
    await writeLeadPatch(ctx.db, row, { status }, ctx.actor.userId);
    return { status };
  },
}));

export const leadsAdmin = defineAdminResource({
  name: 'leads',
  label: 'Lead',
  table: leads,
  title: 'fullName',
  fields: {
    fullName: { type: 'text', input: 'full_name', label: 'Name', required: true },
    email: { type: 'email' },
    companyName: { type: 'text', input: 'company_name', label: 'Company' },
    position: { type: 'text' },
    phoneNumber: { type: 'text', input: 'phone_number', label: 'Phone' },
    status: { type: 'select', choices: LEAD_STATUSES },
    ownerId: { type: 'fk', ref: 'users', input: 'owner_id', label: 'Owner' },
    value: { type: 'number', help: 'Expected deal value.' },
    source: { type: 'text' },
    category: { type: 'text' },
    tags: { type: 'tags' },
    notes: { type: 'textarea' },
    createdAt: { type: 'datetime', readonly: true, label: 'Created' },
    updatedAt: { type: 'datetime', readonly: true, label: 'Updated' },
    deletedAt: { type: 'datetime', readonly: true, label: 'Deleted' },
  },
  list: ['fullName', 'email', 'companyName', 'status', 'ownerId', 'value', 'createdAt'],
  // Trigram indexes on the three (migration 0007) keep `%term%` fast on a big table.
  search: ['fullName', 'email', 'companyName'],
  filters: ['status', 'ownerId', 'createdAt', 'tags', 'source'],
  sortable: ['createdAt', 'updatedAt', 'fullName', 'companyName', 'status', 'value'],
  defaultSort: '-createdAt',
  // As the CRM's API: any staff member reads, writes and deletes leads (deletes are soft).
  access: { list: 'staff', view: 'staff', create: 'staff', edit: 'staff', delete: 'staff' },
  write: { create: leadCreateSchema, update: leadUpdateSchema },
  softDelete: 'deletedAt',
  restorable: true,
  // The CRM's import: upload, dry run with per-row errors and duplicates, then apply.
  import: LEAD_IMPORT,
  service: {
    create: (ctx, input) =>
      withAdminNames(async () => {
        assertAcceptableEmail(input.email);
        await assertLeadOwner(ctx.db, input.owner_id);
        const [row] = await ctx.db
          .insert(leads)
          .values({
            fullName: input.full_name,
            position: input.position,
            companyName: input.company_name ?? null,
            phoneNumber: input.phone_number ?? null,
            email: input.email ?? null,
            source: input.source,
            status: input.status,
            category: input.category ?? null,
            notes: input.notes ?? null,
            ownerId: input.owner_id ?? null,
            ...(input.tags ? { tags: input.tags } : {}),
            value: input.value ?? null,
          })
          .returning();
        await ctx.db.insert(leadActivities).values({
          leadId: row!.id,
          kind: 'created',
          toStatus: row!.status,
          actorId: ctx.actor.userId,
        });
        return { row: row! };
      }),
    update: (ctx, before, input) =>
      withAdminNames(async () => {
        assertAcceptableEmail(input.email);
        await assertLeadOwner(ctx.db, input.owner_id);
        await writeLeadPatch(ctx.db, before, input, ctx.actor.userId);
        const [after] = await ctx.db.select().from(leads).where(eq(leads.id, before.id));
        return after!;
      }),
  },
  actions: [
    ...statusActions,
    {
      name: 'assign-to-me',
      label: 'Assign to me',
      description: 'Makes you the owner of the lead.',
      appliesTo: (row, actor) => row.ownerId !== actor.userId,
      async run(ctx, row) {
        if (row.ownerId === ctx.actor.userId) return;
        await withAdminNames(() => assertLeadOwner(ctx.db, ctx.actor.userId));
        await writeLeadPatch(ctx.db, row, { owner_id: ctx.actor.userId }, ctx.actor.userId);
        return { ownerId: ctx.actor.userId };
      },
    },
    {
      name: 'unassign',
      label: 'Remove the owner',
      appliesTo: (row) => row.ownerId !== null,
      async run(ctx, row) {
        if (row.ownerId === null) return;
        await writeLeadPatch(ctx.db, row, { owner_id: null }, ctx.actor.userId);
        return { ownerId: null };
      },
    },
  ],
  // The CRM's page of the lead: its timeline, notes and pipeline moves as the sales team sees them.
  viewOnSite: (row) => `/crm/leads/${row.id}`,
  inlines: [
    { name: 'notes', label: 'Notes', resource: 'lead-notes', field: 'leadId' },
    { name: 'timeline', label: 'Timeline', resource: 'lead-timeline', field: 'leadId', limit: 20 },
  ],
});

const activityFields = {
  leadId: { type: 'fk', ref: 'leads', label: 'Lead' },
  kind: { type: 'select', choices: LEAD_ACTIVITY_KINDS },
  fromStatus: { type: 'select', choices: LEAD_STATUSES, label: 'From' },
  toStatus: { type: 'select', choices: LEAD_STATUSES, label: 'To' },
  message: { type: 'textarea' },
  actorId: { type: 'fk', ref: 'users', readonly: true, label: 'By' },
  createdAt: { type: 'datetime', readonly: true, label: 'At' },
} as const;

/** A note is a timeline entry of kind `note`; adding one here is the API's POST …/notes. */
export const leadNotesAdmin = defineAdminResource({
  name: 'lead-notes',
  label: 'Note',
  table: leadActivities,
  title: 'message',
  fields: {
    leadId: activityFields.leadId,
    message: { type: 'textarea', required: true },
    actorId: activityFields.actorId,
    createdAt: activityFields.createdAt,
  },
  list: ['leadId', 'message', 'actorId', 'createdAt'],
  search: ['message'],
  filters: ['leadId', 'actorId', 'createdAt'],
  sortable: ['createdAt'],
  defaultSort: '-createdAt',
  access: { list: 'staff', view: 'staff', create: 'staff', edit: false, delete: 'admin' },
  write: { create: leadNoteSchema.extend({ leadId: int(1, Number.MAX_SAFE_INTEGER) }) },
  scope: () => eq(leadActivities.kind, 'note'),
  service: {
    async create(ctx, input) {
      if (!(await liveLead(ctx, input.leadId))) {
        throw fieldError('leadId', 'No such lead.', 'not_found');
      }
      const [row] = await ctx.db
        .insert(leadActivities)
        .values({
          leadId: input.leadId,
          kind: 'note',
          message: input.message,
          actorId: ctx.actor.userId,
        })
        .returning();
      return { row: row! };
    },
  },
});

/** Everything that happened to leads; written by the CRM only, so read-only here. */
export const leadTimelineAdmin = defineAdminResource({
  name: 'lead-timeline',
  label: 'Timeline entry',
  labelPlural: 'Timeline entries',
  table: leadActivities,
  title: 'kind',
  fields: activityFields,
  // The entry's kind first: the first column links to the entry, the lead column to the lead.
  list: ['kind', 'leadId', 'fromStatus', 'toStatus', 'message', 'actorId', 'createdAt'],
  search: ['message'],
  filters: ['leadId', 'kind', 'actorId', 'createdAt'],
  sortable: ['createdAt'],
  defaultSort: '-createdAt',
});

const IMPORT_HELP =
  'Imports are uploaded and applied through the CRM (POST /api/v1/leads/imports, then ' +
  '…/imports/{id}/apply): the dry run shows every row’s errors before anything is created.';

/** CSV imports, read-only: uploading and applying stay with the CRM's import (dry run, budget). */
export const leadImportsAdmin = defineAdminResource({
  name: 'lead-imports',
  label: 'Lead import',
  table: leadImports,
  title: 'filename',
  import: LEAD_IMPORT,
  fields: {
    filename: { type: 'text', help: IMPORT_HELP },
    status: { type: 'select', choices: ['parsing', 'preview', 'running', 'done', 'failed'] },
    totalRows: { type: 'integer', label: 'Rows' },
    validRows: { type: 'integer', label: 'Valid' },
    duplicateRows: { type: 'integer', label: 'Duplicates' },
    invalidRows: { type: 'integer', label: 'Invalid' },
    processedRows: { type: 'integer', label: 'Processed' },
    createdRows: { type: 'integer', label: 'Created' },
    errors: { type: 'json', help: 'Per row: the data row number and each field’s message.' },
    duplicates: { type: 'json' },
    createdBy: { type: 'fk', ref: 'users', label: 'Uploaded by' },
    createdAt: { type: 'datetime', label: 'Uploaded' },
    // Bumped while the file is read or applied: a stalled import shows here.
    updatedAt: { type: 'datetime', label: 'Last activity' },
    finishedAt: { type: 'datetime', label: 'Finished' },
  },
  list: ['filename', 'status', 'totalRows', 'createdRows', 'invalidRows', 'createdBy', 'createdAt'],
  search: ['filename'],
  filters: ['status', 'createdBy', 'createdAt'],
  sortable: ['createdAt'],
  defaultSort: '-createdAt',
});

export const crmAdmin = [
  leadsAdmin,
  leadNotesAdmin,
  leadTimelineAdmin,
  leadImportsAdmin,
  newsletterSubscribersAdmin,
];
