import { and, eq, sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { liveLeadHas } from './lead-import.js';
import { leadImportRows, leadImports } from './schema.js';

const BATCH = 500;

/**
 * One batch, one statement (atomic without a transaction, one round trip): takes the next
 * staged rows off lead_import_rows, inserts those whose email is not a lead (yet) with their
 * `imported` timeline entries, and adds the batch to the import's progress.
 */
function applyBatch(id: string, filename: string, actorId: string | null) {
  return sql`
    WITH batch AS (
      DELETE FROM lead_import_rows
      WHERE import_id = ${id} AND "row" IN (
        SELECT "row" FROM lead_import_rows WHERE import_id = ${id} ORDER BY "row" LIMIT ${BATCH})
      RETURNING "row", lead
    ), input AS (
      SELECT x.* FROM batch, jsonb_to_record(batch.lead) AS x(
        full_name text, position text, company_name text, phone_number text, email text,
        source text, status text, category text, notes text)
    ), inserted AS (
      INSERT INTO leads (full_name, position, company_name, phone_number, email, source, status,
        category, notes)
      SELECT full_name, position, company_name, phone_number, email, source, status, category,
        notes
      FROM input
      WHERE email IS NULL OR NOT ${liveLeadHas(sql`input.email`)}
      RETURNING id, status
    ), activity AS (
      INSERT INTO lead_activities (lead_id, kind, to_status, message, actor_id)
      SELECT id, 'imported', status, ${`Imported from ${filename}`}, ${actorId} FROM inserted
    )
    UPDATE lead_imports SET
      processed_rows = processed_rows + (SELECT count(*) FROM batch),
      created_rows = created_rows + (SELECT count(*) FROM inserted),
      updated_at = now()
    WHERE id = ${id}
    RETURNING (SELECT count(*)::int FROM batch) AS taken`;
}

/** Moves a previewed import to `running`; false when it was not in preview (applied twice). */
export async function startLeadImport(db: Pick<Database, 'update'>, id: string): Promise<boolean> {
  const started = await db
    .update(leadImports)
    .set({ status: 'running', updatedAt: sql`now()` })
    .where(and(eq(leadImports.id, id), eq(leadImports.status, 'preview')))
    .returning({ id: leadImports.id });
  return started.length > 0;
}

/**
 * Inserts the staged rows 500 at a time (see applyBatch), so the UI's progress bar moves, a
 * retried job resumes after the last committed batch and only one batch is ever in flight.
 * Rows whose email became a lead since the preview are skipped (processed, not created).
 */
export async function runLeadImport(
  db: Database,
  id: string,
  { finalAttempt = true } = {},
): Promise<void> {
  const [job] = await db.select().from(leadImports).where(eq(leadImports.id, id));
  if (!job || job.status !== 'running') return;
  try {
    for (;;) {
      const result = await db.execute<{ taken: number }>(
        applyBatch(id, job.filename, job.createdBy),
      );
      if (!result.rows[0] || result.rows[0].taken === 0) break;
    }
    await db
      .update(leadImports)
      .set({ status: 'done', updatedAt: sql`now()`, finishedAt: sql`now()` })
      .where(eq(leadImports.id, id));
  } catch (error) {
    // Before the last attempt the import stays `running`, so the retry resumes it.
    if (!finalAttempt) throw error;
    await db.transaction(async (tx) => {
      await tx.delete(leadImportRows).where(eq(leadImportRows.importId, id));
      await tx
        .update(leadImports)
        .set({ status: 'failed', updatedAt: sql`now()`, finishedAt: sql`now()` })
        .where(eq(leadImports.id, id));
    });
    throw error;
  }
}
