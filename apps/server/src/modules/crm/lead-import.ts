import { leadCreateSchema, type LeadCreate, type LeadImport } from '@bastion/contract';
import { parse } from 'csv-parse/sync';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { badRequest } from '../../http/errors.js';
import { isDisposableEmail } from './disposable.js';
import { leadActivities, leadImports, leads } from './schema.js';

export const MAX_IMPORT_ROWS = 50_000;
const PREVIEW_ROWS = 20;
const SHOWN_ERRORS = 500;
const BATCH = 250;

/** Header names people actually use, mapped to lead fields (case and spacing ignored). */
const HEADER_ALIASES: Record<string, string> = {
  name: 'full_name',
  fullname: 'full_name',
  full_name: 'full_name',
  email: 'email',
  email_address: 'email',
  phone: 'phone_number',
  phone_number: 'phone_number',
  telephone: 'phone_number',
  company: 'company_name',
  company_name: 'company_name',
  organisation: 'company_name',
  organization: 'company_name',
  position: 'position',
  title: 'position',
  job_title: 'position',
  source: 'source',
  status: 'status',
  category: 'category',
  notes: 'notes',
};

function fieldOf(header: string): string | undefined {
  return HEADER_ALIASES[
    header
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_')
  ];
}

type ImportRow = typeof leadImports.$inferSelect;
type Executor = Pick<Database, 'select'>;

/** Which of these (lower-cased) emails already belong to a live lead. */
async function takenEmails(db: Executor, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const lowerEmail = sql<string>`lower(${leads.email})`;
  const rows = await db
    .select({ email: lowerEmail })
    .from(leads)
    .where(and(isNull(leads.deletedAt), inArray(lowerEmail, emails)));
  return rows.map((row) => row.email);
}

export function presentImport(row: ImportRow): LeadImport {
  return {
    id: row.id,
    status: row.status as LeadImport['status'],
    filename: row.filename,
    total_rows: row.totalRows,
    valid_rows: row.validRows,
    duplicate_rows: row.duplicateRows,
    invalid_rows: row.invalidRows,
    processed_rows: row.processedRows,
    created_rows: row.createdRows,
    errors: row.errors as LeadImport['errors'],
    duplicates: row.duplicates as LeadImport['duplicates'],
    preview: row.preview as LeadImport['preview'],
    created_at: row.createdAt.toISOString(),
  };
}

/**
 * Parses and checks a CSV without creating anything: each row is validated like the API's
 * create (same schema, disposable domains too); a row whose email is already a lead, or
 * appears earlier in the file, is a duplicate and will be skipped. The result is stored as an
 * import in `preview` state for the user to look at before applying it.
 */
export async function previewLeadImport(
  db: Database,
  filename: string,
  csv: string,
  actorId: string | null,
): Promise<ImportRow> {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (headers: string[]) => headers.map((h) => fieldOf(h) ?? `ignored:${h}`),
      bom: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
      to: MAX_IMPORT_ROWS + 1,
    }) as Record<string, string>[];
  } catch (error) {
    throw badRequest(`The file is not valid CSV: ${(error as Error).message}`, [
      { path: ['file'], message: 'Not a valid CSV file.' },
    ]);
  }
  if (records.length > MAX_IMPORT_ROWS) {
    throw badRequest(`At most ${MAX_IMPORT_ROWS} rows per import.`, [
      { path: ['file'], message: `At most ${MAX_IMPORT_ROWS} rows per import.` },
    ]);
  }
  if (records.length === 0 || !Object.keys(records[0]!).includes('full_name')) {
    throw badRequest(
      'The file needs a header row with at least a "full_name" (or "name") column.',
      [{ path: ['file'], message: 'Missing a full_name column.' }],
    );
  }

  const errors: LeadImport['errors'] = [];
  const duplicates: LeadImport['duplicates'] = [];
  const valid: { row: number; lead: LeadCreate }[] = [];
  records.forEach((record, index) => {
    const row = index + 1;
    const input = Object.fromEntries(
      Object.entries(record).filter(([key, value]) => !key.startsWith('ignored:') && value !== ''),
    );
    const parsed = leadCreateSchema.safeParse(input);
    if (!parsed.success) {
      errors.push({
        row,
        errors: parsed.error.issues.map((issue) => ({
          field: String(issue.path[0] ?? 'row'),
          message: issue.message,
        })),
      });
    } else if (parsed.data.email && isDisposableEmail(parsed.data.email)) {
      errors.push({
        row,
        errors: [{ field: 'email', message: 'Disposable email addresses are not accepted.' }],
      });
    } else {
      valid.push({ row, lead: parsed.data });
    }
  });

  // Duplicates: against existing leads (one query for all emails), then within the file.
  const emails = [...new Set(valid.flatMap(({ lead }) => (lead.email ? [lead.email] : [])))];
  const existing = new Set<string>();
  for (let i = 0; i < emails.length; i += 5000) {
    const found = await takenEmails(db, emails.slice(i, i + 5000));
    for (const email of found) existing.add(email);
  }
  const seen = new Set<string>();
  const pending: { row: number; lead: LeadCreate }[] = [];
  for (const item of valid) {
    const email = item.lead.email;
    if (email && (existing.has(email) || seen.has(email))) {
      duplicates.push({ row: item.row, email });
      continue;
    }
    if (email) seen.add(email);
    pending.push(item);
  }

  const [created] = await db
    .insert(leadImports)
    .values({
      filename,
      totalRows: records.length,
      validRows: pending.length,
      duplicateRows: duplicates.length,
      invalidRows: errors.length,
      errors: errors.slice(0, SHOWN_ERRORS),
      duplicates: duplicates.slice(0, SHOWN_ERRORS),
      preview: pending.slice(0, PREVIEW_ROWS).map(({ row, lead }) => ({
        row,
        full_name: lead.full_name,
        email: lead.email ?? null,
        company_name: lead.company_name ?? null,
        status: lead.status,
      })),
      pending,
      createdBy: actorId,
    })
    .returning();
  return created!;
}

/** Moves a previewed import to `running`; false when it was not in preview (applied twice). */
export async function startLeadImport(db: Database, id: string): Promise<boolean> {
  const started = await db
    .update(leadImports)
    .set({ status: 'running' })
    .where(sql`${leadImports.id} = ${id} AND ${leadImports.status} = 'preview'`)
    .returning({ id: leadImports.id });
  return started.length > 0;
}

/**
 * Inserts the pending rows in batches of 250, each batch one transaction, and records the
 * progress after each so the UI's progress bar moves. Rows whose email became a lead since
 * the preview are skipped (counted as duplicates).
 */
export async function runLeadImport(
  db: Database,
  id: string,
  { finalAttempt = true } = {},
): Promise<void> {
  const [job] = await db.select().from(leadImports).where(eq(leadImports.id, id));
  if (!job || job.status !== 'running') return;
  const pending = job.pending as { row: number; lead: LeadCreate }[];
  let processed = job.processedRows;
  let createdCount = job.createdRows;
  try {
    // A retried job resumes after the last committed batch.
    for (let i = processed; i < pending.length; i += BATCH) {
      const batch = pending.slice(i, i + BATCH).map(({ lead }) => lead);
      await db.transaction(async (tx) => {
        const emails = batch.flatMap((lead) => (lead.email ? [lead.email] : []));
        const taken = new Set<string>();
        for (const email of await takenEmails(tx, emails)) taken.add(email);
        const fresh = batch.filter((lead) => !lead.email || !taken.has(lead.email));
        if (fresh.length > 0) {
          const inserted = await tx
            .insert(leads)
            .values(
              fresh.map((lead) => ({
                fullName: lead.full_name,
                position: lead.position,
                companyName: lead.company_name,
                phoneNumber: lead.phone_number,
                email: lead.email,
                source: lead.source,
                status: lead.status,
                category: lead.category,
                notes: lead.notes,
              })),
            )
            .returning({ id: leads.id, status: leads.status });
          await tx.insert(leadActivities).values(
            inserted.map((lead) => ({
              leadId: lead.id,
              kind: 'imported',
              toStatus: lead.status,
              message: `Imported from ${job.filename}`,
              actorId: job.createdBy,
            })),
          );
        }
        processed += batch.length;
        createdCount += fresh.length;
        await tx
          .update(leadImports)
          .set({ processedRows: processed, createdRows: createdCount })
          .where(eq(leadImports.id, id));
      });
    }
    await db
      .update(leadImports)
      .set({ status: 'done', pending: [], finishedAt: sql`now()` })
      .where(eq(leadImports.id, id));
  } catch (error) {
    // Before the last attempt the import stays `running`, so the retry resumes it.
    if (!finalAttempt) throw error;
    await db
      .update(leadImports)
      .set({ status: 'failed', finishedAt: sql`now()` })
      .where(eq(leadImports.id, id));
    throw error;
  }
}
