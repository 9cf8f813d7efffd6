import type { Lead, LeadActivity, LeadStatus, NewsletterSubscriber } from '@bastion/contract';
import type { leadActivities, newsletterSubscribers } from './schema.js';

/** A `leads` row as the hand-written queries return it (snake_case columns, see lead-queries.ts). */
export interface LeadRow {
  id: string | number;
  full_name: string;
  position: string;
  company_name: string | null;
  phone_number: string | null;
  email: string | null;
  source: string;
  status: string;
  category: string | null;
  notes: string | null;
  owner_id: string | null;
  tags: string[] | null;
  value: number | null;
  /** ISO 8601 text from the SQL (see LEAD_COLUMNS), or a Date from other queries. */
  created_at: string | Date;
  updated_at: string | Date;
}

const iso = (value: string | Date) => (typeof value === 'string' ? value : value.toISOString());

export function presentLead(row: LeadRow): Lead {
  return {
    id: Number(row.id),
    full_name: row.full_name,
    position: row.position,
    company_name: row.company_name,
    phone_number: row.phone_number,
    email: row.email,
    source: row.source,
    status: row.status as LeadStatus,
    category: row.category,
    notes: row.notes,
    owner_id: row.owner_id,
    tags: row.tags ?? [],
    value: row.value === null ? null : Number(row.value),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function presentActivity(row: typeof leadActivities.$inferSelect): LeadActivity {
  return {
    id: row.id,
    kind: row.kind as LeadActivity['kind'],
    from_status: row.fromStatus,
    to_status: row.toStatus,
    message: row.message,
    actor_id: row.actorId,
    created_at: row.createdAt.toISOString(),
  };
}

export function presentSubscriber(
  row: typeof newsletterSubscribers.$inferSelect,
): NewsletterSubscriber {
  return {
    id: row.id,
    email: row.email,
    full_name: row.fullName,
    source: row.source,
    status: row.status as NewsletterSubscriber['status'],
    confirmed_at: row.confirmedAt?.toISOString() ?? null,
    unsubscribed_at: row.unsubscribedAt?.toISOString() ?? null,
    created_at: row.createdAt.toISOString(),
  };
}
