import type { LeadStatus } from '@bastion/contract';
import type { Database } from '../../db/client.js';
import type { DemoRandom } from '../../demo/random.js';
import { leadActivities, leadImports, leads, newsletterSubscribers } from './schema.js';

// Fictitious companies (the usual sample names) on the reserved .example domain: no demo mail
// can ever reach a real inbox.
const COMPANIES = [
  'Northwind Traders',
  'Contoso',
  'Fabrikam',
  'Tailspin Toys',
  'Litware',
  'Adventure Works',
  'Wide World Importers',
  'Proseware',
  'Fourth Coffee',
  'Alpine Ski House',
  'Coho Winery',
  'Woodgrove Bank',
  'Lucerne Publishing',
  'Trey Research',
  'Blue Yonder Airlines',
  'Humongous Insurance',
  'Relecloud',
  'Margie’s Travel',
];
const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Dennis',
  'Barbara',
  'Ken',
  'Radia',
  'Tim',
  'Frances',
  'Donald',
  'Hedy',
  'John',
  'Karen',
  'Edsger',
  'Sophie',
  'Leslie',
  'Anita',
  'Guido',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Ritchie',
  'Liskov',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Allen',
  'Knuth',
  'Lamarr',
  'McCarthy',
  'Spärck Jones',
  'Dijkstra',
  'Wilson',
  'Lamport',
  'Borg',
  'van Rossum',
];
const POSITIONS = [
  'CTO',
  'Head of Sales',
  'Operations Manager',
  'Founder',
  'IT Director',
  'Procurement Lead',
  'Marketing Manager',
  '',
];
const SOURCES = { website: 40, referral: 18, linkedin: 15, event: 10, ads: 12, partner: 5 };
const CATEGORIES = ['smb', 'enterprise', 'startup', 'agency'] as const;
const TAGS = ['demo-request', 'pricing', 'follow-up', 'security-review', 'annual-plan', 'urgent'];
const NOTES = [
  'Asked for a walkthrough of the admin area.',
  'Wants SSO and an audit log before signing.',
  'Budget approved for next quarter.',
  'Comparing us with two other vendors.',
  'Called back, interested in the annual plan.',
  'Needs a security questionnaire answered.',
];
const DAY = 86_400_000;
const slug = (text: string) => text.toLowerCase().replace(/[^a-z]+/g, '');

/** The statuses a lead passes through on its way to `final`, in order. */
function journey(random: DemoRandom, final: LeadStatus): LeadStatus[] {
  switch (final) {
    case 'new':
      return [];
    case 'contacted':
      return ['contacted'];
    case 'qualified':
      return ['contacted', 'qualified'];
    case 'converted':
      return ['contacted', 'qualified', 'converted'];
    case 'lost':
      return random.chance(0.5) ? ['contacted', 'lost'] : ['contacted', 'qualified', 'lost'];
  }
}

interface DemoLead {
  lead: typeof leads.$inferInsert;
  history: { status: LeadStatus; at: Date }[];
  note?: { message: string; at: Date };
}

/** One lead: created in the last `days` days (more of them lately), then moved along the funnel. */
function demoLead(random: DemoRandom, owners: string[], now: number, days: number): DemoLead {
  const age = days * (1 - Math.sqrt(random.next())); // in days; more leads lately (growth)
  const created = now - age * DAY;
  const first = random.pick(FIRST);
  const last = random.pick(LAST);
  const company = random.pick(COMPANIES);
  const final = random.weighted({ new: 22, contacted: 24, qualified: 20, converted: 16, lost: 18 });
  // Young leads have not travelled far yet.
  const reachable = age < 1 ? 0 : age < 4 ? 1 : age < 8 ? 2 : 3;
  let at = created;
  const history = journey(random, final)
    .slice(0, reachable)
    .map((status) => {
      at += (now - at) * (0.15 + 0.45 * random.next());
      return { status, at: new Date(at) };
    });
  const status = history.at(-1)?.status ?? 'new';
  const owned = owners.length > 0 && random.chance(status === 'new' ? 0.5 : 0.95);
  const ownerId = owned ? random.pick(owners) : null;
  const note = random.chance(0.3)
    ? { message: random.pick(NOTES), at: new Date(at + (now - at) * random.next()) }
    : undefined;
  const lead: typeof leads.$inferInsert = {
    fullName: `${first} ${last}`,
    position: random.pick(POSITIONS),
    companyName: company,
    email: `${slug(first)}.${slug(last)}@${slug(company)}.example`,
    phoneNumber: random.chance(0.6)
      ? `+1 555 01${String(random.int(0, 99)).padStart(2, '0')}`
      : null,
    source: random.weighted(SOURCES),
    status,
    category: random.pick(CATEGORIES),
    notes: random.chance(0.25) ? random.pick(NOTES) : null,
    ownerId,
    tags: TAGS.filter(() => random.chance(0.15)).slice(0, 2),
    value:
      ['qualified', 'converted'].includes(status) || random.chance(0.2)
        ? random.int(2, 120) * 500
        : null,
    createdAt: new Date(created),
    updatedAt: new Date(note ? Math.max(at, note.at.getTime()) : at),
  };
  return { lead, history, ...(note ? { note } : {}) };
}

export type CrmDemoCounts = {
  leads: number;
  subscribers: number;
  imports: number;
};

/**
 * A finished CSV import as the import screen leaves one: the trade-show leads among the seeded
 * ones, with a duplicate and two invalid rows, so the import history and its per-row errors
 * have something to show.
 */
function demoImport(eventLeads: number, uploadedBy: string | undefined, now: number) {
  const at = new Date(now - 9 * DAY);
  return {
    status: 'done',
    filename: 'trade-show-badge-scans.csv',
    totalRows: eventLeads + 3,
    validRows: eventLeads,
    duplicateRows: 1,
    invalidRows: 2,
    processedRows: eventLeads + 3,
    createdRows: eventLeads,
    errors: [
      { row: 4, errors: [{ field: 'email', message: 'Enter a valid email address.' }] },
      { row: 11, errors: [{ field: 'full_name', message: 'This field may not be blank.' }] },
    ],
    duplicates: [{ row: 7, email: 'duplicate@trade-show.example' }],
    createdBy: uploadedBy ?? null,
    createdAt: at,
    updatedAt: new Date(at.getTime() + 4_000),
    finishedAt: new Date(at.getTime() + 4_000),
  };
}

/**
 * Leads over the last six weeks with their timelines (created, status changes, notes), owned
 * by `owners`, and newsletter subscribers in every state. One transaction: all or nothing.
 */
export async function seedCrmDemo(
  db: Database,
  random: DemoRandom,
  owners: string[],
  { leadCount = 240, subscriberCount = 120, now = Date.now() } = {},
): Promise<CrmDemoCounts> {
  const generated = Array.from({ length: leadCount }, () => demoLead(random, owners, now, 42));
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(leads)
      .values(generated.map((entry) => entry.lead))
      .returning({ id: leads.id });
    const activities: (typeof leadActivities.$inferInsert)[] = [];
    generated.forEach(({ lead, history, note }, index) => {
      const leadId = inserted[index]!.id;
      // Website leads come in through the API key; the others were typed in by their owner.
      const typedBy = lead.source === 'website' ? null : (lead.ownerId ?? null);
      activities.push({
        leadId,
        kind: 'created',
        toStatus: 'new',
        actorId: typedBy,
        createdAt: lead.createdAt,
      });
      let from: LeadStatus = 'new';
      for (const step of history) {
        activities.push({
          leadId,
          kind: 'status_changed',
          fromStatus: from,
          toStatus: step.status,
          actorId: lead.ownerId ?? null,
          createdAt: step.at,
        });
        from = step.status;
      }
      if (note)
        activities.push({
          leadId,
          kind: 'note',
          message: note.message,
          actorId: lead.ownerId ?? null,
          createdAt: note.at,
        });
    });
    await tx.insert(leadActivities).values(activities);

    const subscribers = Array.from({ length: subscriberCount }, (_, index) => {
      const first = random.pick(FIRST);
      const last = random.pick(LAST);
      const created = new Date(
        now - Math.floor(60 * (1 - Math.sqrt(random.next()))) * DAY - random.int(0, 86_000) * 1000,
      );
      // Unconfirmed sign-ups expire after NEWSLETTER_CONFIRM_TTL_HOURS (at least 1, default 72;
      // the purge job), so pending ones are all recent: under 48 h old.
      const status = random.weighted({ confirmed: 70, unsubscribed: 18, pending: 12 });
      const pendingAt = new Date(now - random.int(1, 47) * 3_600_000);
      return {
        email: `${slug(first)}.${slug(last)}.${index}@mail.example`,
        fullName: random.chance(0.7) ? `${first} ${last}` : null,
        source: random.weighted({ website: 70, event: 15, blog: 15 }),
        status,
        confirmationSentAt: status === 'pending' ? pendingAt : created,
        confirmedAt:
          status === 'pending' ? null : new Date(created.getTime() + random.int(1, 600) * 60_000),
        unsubscribedAt:
          status === 'unsubscribed'
            ? new Date(Math.min(now, created.getTime() + random.int(2, 40) * DAY))
            : null,
        createdAt: status === 'pending' ? pendingAt : created,
        updatedAt: status === 'pending' ? pendingAt : created,
      };
    });
    await tx.insert(newsletterSubscribers).values(subscribers).onConflictDoNothing();
    const eventLeads = generated.filter(({ lead }) => lead.source === 'event').length;
    await tx.insert(leadImports).values(demoImport(eventLeads, owners[0], now));
    return { leads: inserted.length, subscribers: subscribers.length, imports: 1 };
  });
}
