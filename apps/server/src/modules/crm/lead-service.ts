import type { leadUpdateSchema } from '@bastion/contract';
import { type LeadCreate, type LeadStats, type LeadStatus } from '@bastion/contract';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { z } from 'zod';
import type { Database } from '../../db/client.js';
import { fieldError, notFound } from '../../http/errors.js';
import { isDisposableEmail } from './disposable.js';
import { assertLeadOwner } from './lead-owners.js';
import { insertLeadRow, LEAD_COLUMNS } from './lead-queries.js';
import type { LeadRow } from './presenters.js';
import { leadActivities, leads } from './schema.js';

type LeadUpdate = z.output<typeof leadUpdateSchema>;

/** Rules the contract schema cannot check on its own (they need data or a large list). */
export function assertAcceptableEmail(email: string | null | undefined): void {
  if (email && isDisposableEmail(email)) {
    throw fieldError('email', 'Disposable email addresses are not accepted.', 'disposable');
  }
}

export async function createLead(
  { db, pool }: { db: Database; pool: pg.Pool },
  input: LeadCreate,
  actorId: string | null,
): Promise<LeadRow> {
  assertAcceptableEmail(input.email);
  await assertLeadOwner(db, input.owner_id);
  return insertLeadRow(pool, input, actorId);
}

/**
 * Applies a partial update; a status change becomes a `status_changed` timeline entry, any other
 * change an `updated` one naming the fields. Row lock + transaction: concurrent edits serialise.
 */
export async function updateLead(
  db: Database,
  id: number,
  patch: LeadUpdate,
  actorId: string | null,
): Promise<LeadRow | undefined> {
  assertAcceptableEmail(patch.email);
  await assertLeadOwner(db, patch.owner_id);
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(leads)
      .where(and(eq(leads.id, id), isNull(leads.deletedAt)))
      .for('update');
    if (!current) return undefined;
    await writeLeadPatch(tx, current, patch, actorId);
    const result = await tx.execute<LeadRow & Record<string, unknown>>(
      sql`SELECT ${sql.raw(LEAD_COLUMNS)} FROM leads WHERE id = ${id}`,
    );
    const row = result.rows[0];
    if (!row) throw notFound('Lead');
    return row;
  });
}

/**
 * The write half of an update, for a lead already locked by the caller's transaction (the API's
 * PATCH and the generic admin share it, so both keep the timeline and the email-or-phone rule).
 */
export async function writeLeadPatch(
  tx: Pick<Database, 'update' | 'insert'>,
  current: typeof leads.$inferSelect,
  patch: Partial<LeadUpdate>,
  actorId: string | null,
): Promise<void> {
  const id = current.id;
  const email = patch.email === undefined ? current.email : patch.email;
  const phone = patch.phone_number === undefined ? current.phoneNumber : patch.phone_number;
  if (!email && !phone) {
    throw fieldError('email', 'Either email or phone_number is required.', 'required');
  }
  const changes = {
    ...(patch.full_name !== undefined && { fullName: patch.full_name }),
    ...(patch.position !== undefined && { position: patch.position }),
    ...(patch.company_name !== undefined && { companyName: patch.company_name }),
    ...(patch.phone_number !== undefined && { phoneNumber: patch.phone_number }),
    ...(patch.email !== undefined && { email: patch.email }),
    ...(patch.source !== undefined && { source: patch.source }),
    ...(patch.status !== undefined && { status: patch.status }),
    ...(patch.category !== undefined && { category: patch.category }),
    ...(patch.notes !== undefined && { notes: patch.notes }),
    ...(patch.owner_id !== undefined && { ownerId: patch.owner_id }),
    ...(patch.tags !== undefined && { tags: patch.tags }),
    ...(patch.value !== undefined && { value: patch.value }),
  };
  await tx
    .update(leads)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(eq(leads.id, id));
  if (patch.status !== undefined && patch.status !== current.status) {
    await tx.insert(leadActivities).values({
      leadId: id,
      kind: 'status_changed',
      fromStatus: current.status,
      toStatus: patch.status,
      actorId,
    });
  }
  const otherFields = Object.keys(patch).filter(
    (key) => key !== 'status' && patch[key as keyof LeadUpdate] !== undefined,
  );
  if (otherFields.length > 0) {
    await tx.insert(leadActivities).values({
      leadId: id,
      kind: 'updated',
      message: `Changed ${otherFields.join(', ')}`,
      actorId,
    });
  }
}

/** Soft delete: the row stays for reporting and undo, but no list or detail shows it. */
export async function deleteLead(db: Database, id: number): Promise<boolean> {
  const deleted = await db
    .update(leads)
    .set({ deletedAt: sql`now()` })
    .where(and(eq(leads.id, id), isNull(leads.deletedAt)))
    .returning({ id: leads.id });
  return deleted.length > 0;
}

/** Moves many leads to one status (table bulk action, pipeline board); one entry each. */
export async function setLeadStatuses(
  db: Database,
  ids: number[],
  status: LeadStatus,
  actorId: string | null,
): Promise<number> {
  return db.transaction(async (tx) => {
    const current = await tx
      .select({ id: leads.id, status: leads.status })
      .from(leads)
      .where(and(inArray(leads.id, ids), isNull(leads.deletedAt)))
      .for('update');
    const changing = current.filter((lead) => lead.status !== status);
    if (changing.length === 0) return 0;
    await tx
      .update(leads)
      .set({ status, updatedAt: sql`now()` })
      .where(
        inArray(
          leads.id,
          changing.map((lead) => lead.id),
        ),
      );
    await tx.insert(leadActivities).values(
      changing.map((lead) => ({
        leadId: lead.id,
        kind: 'status_changed',
        fromStatus: lead.status,
        toStatus: status,
        actorId,
      })),
    );
    return changing.length;
  });
}

export async function leadTimeline(db: Database, id: number) {
  const [lead] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.id, id), isNull(leads.deletedAt)));
  if (!lead) throw notFound('Lead');
  return db
    .select()
    .from(leadActivities)
    .where(eq(leadActivities.leadId, id))
    .orderBy(desc(leadActivities.createdAt), desc(leadActivities.id));
}

export async function addLeadNote(
  db: Database,
  id: number,
  message: string,
  actorId: string | null,
) {
  await leadTimeline(db, id); // 404 for unknown leads
  const [row] = await db
    .insert(leadActivities)
    .values({ leadId: id, kind: 'note', message, actorId })
    .returning();
  return row!;
}

/** Dashboard figures: status funnel, conversion by source, new leads per day (last 30 days). */
export async function leadStats(db: Database): Promise<LeadStats> {
  const live = isNull(leads.deletedAt);
  const [byStatus, bySource, perDay] = await Promise.all([
    db
      .select({
        status: leads.status,
        count: sql<number>`count(*)::int`,
        value: sql<number>`coalesce(sum(${leads.value}), 0)::float8`,
      })
      .from(leads)
      .where(live)
      .groupBy(leads.status),
    db
      .select({
        source: leads.source,
        total: sql<number>`count(*)::int`,
        converted: sql<number>`(count(*) filter (where ${leads.status} = 'converted'))::int`,
      })
      .from(leads)
      .where(live)
      .groupBy(leads.source)
      .orderBy(desc(sql`count(*)`)),
    db.execute<{ day: string; count: number }>(sql`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day, count(l.id)::int AS count
      FROM generate_series(current_date - 29, current_date, interval '1 day') AS d(day)
      LEFT JOIN leads l ON l.deleted_at IS NULL
        AND l.created_at >= d.day AND l.created_at < d.day + interval '1 day'
      GROUP BY d.day ORDER BY d.day`),
  ]);
  const statuses: LeadStatus[] = ['new', 'contacted', 'qualified', 'converted', 'lost'];
  return {
    by_status: statuses.map((status) => {
      const row = byStatus.find((entry) => entry.status === status);
      return { status, count: row?.count ?? 0, value: row?.value ?? 0 };
    }),
    by_source: bySource,
    per_day: perDay.rows.map((row) => ({ day: row.day, count: Number(row.count) })),
  };
}
