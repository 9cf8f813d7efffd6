import { text } from '@bastion/contract';
import { eq } from 'drizzle-orm';
import { pino } from 'pino';
import { z } from 'zod';
import { adminTestApp, type AdminTestApp } from '../../test/admin-app.js';
import type { TestApp } from '../../test/app.js';
import { HttpError } from '../http/errors.js';
import { leadActivities, leads } from '../modules/crm/schema.js';
import { modules } from '../modules/index.js';
import { defineModule } from '../modules/manifest.js';
import type { EngineContext } from './context.js';
import { defineAdminResource } from './define.js';

// A test-only admin over the CRM's leads table: every feature of a definition once, so the
// engine's tests do not depend on how the modules' own admin.ts files are written.

export const STATUSES = ['new', 'contacted', 'qualified', 'converted', 'lost'] as const;

const fixtureCreate = z.object({
  full_name: text(255, { trim: true }).min(1, 'Enter a name.'),
  email: z.email('Enter a valid email address.').max(254).nullable().optional(),
  status: z.enum(STATUSES).default('new'),
  source: text(50).default('website'),
  value: z.number().min(0).max(1e9).nullable().optional(),
  notes: text(1000).nullable().optional(),
});

export const fixtureLeads = defineAdminResource({
  name: 'fixture-leads',
  label: 'Lead',
  table: leads,
  title: 'fullName',
  fields: {
    fullName: { type: 'text', input: 'full_name' },
    email: { type: 'email', edit: 'admin' },
    status: { type: 'select', choices: STATUSES },
    source: { type: 'text' },
    // Only admins read (and so write) it.
    value: { type: 'number', view: 'admin' },
    // Never leaves the server.
    notes: { hidden: true },
    ownerId: { type: 'text', readonly: true },
    createdAt: { type: 'datetime', readonly: true },
    deletedAt: { type: 'datetime', readonly: true },
  },
  list: ['fullName', 'email', 'status', 'value', 'createdAt'],
  search: ['fullName', 'email'],
  filters: ['status', 'source', 'createdAt', 'value'],
  sortable: ['createdAt', 'fullName', 'email', 'value'],
  defaultSort: '-createdAt',
  access: { list: 'staff', view: 'staff', create: 'staff', edit: 'staff', delete: 'admin' },
  write: { create: fixtureCreate },
  softDelete: 'deletedAt',
  restorable: true,
  hooks: {
    beforeWrite(_ctx, event) {
      if (event.values.fullName === 'Refused') {
        throw new HttpError(409, 'conflict', 'The hook refused this name.');
      }
    },
  },
  actions: [
    {
      name: 'mark-lost',
      label: 'Mark lost',
      destructive: true,
      async run(ctx, row) {
        if (row.fullName === 'Unlucky')
          throw new HttpError(409, 'conflict', 'Cannot lose this one.');
        await ctx.db.update(leads).set({ status: 'lost' }).where(eq(leads.id, row.id));
        return { status: 'lost' };
      },
    },
    {
      name: 'touch',
      label: 'Touch',
      access: 'admin',
      async run() {},
    },
  ],
  inlines: [
    { name: 'activities', label: 'Timeline', resource: 'fixture-activities', field: 'leadId' },
  ],
});

export const fixtureActivities = defineAdminResource({
  name: 'fixture-activities',
  label: 'Activity',
  labelPlural: 'Activities',
  table: leadActivities,
  title: 'kind',
  fields: {
    leadId: { type: 'fk', ref: 'fixture-leads' },
    kind: { type: 'text' },
    message: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
  filters: ['leadId'],
  sortable: ['createdAt'],
  defaultSort: '-createdAt',
});

export const fixtureModule = defineModule({
  name: 'admin-fixture',
  admin: [fixtureLeads, fixtureActivities],
});

/** The admin harness with the fixture module served beside every real one. */
export type AdminHarness = AdminTestApp;

export function adminHarness(): Promise<AdminHarness> {
  return adminTestApp({ modules: [...modules, fixtureModule] });
}

/** Leads by SQL: `count` rows named `<prefix> <n>`, statuses in turn, one second apart. */
export async function seedLeads(t: TestApp, count: number, prefix = 'Lead'): Promise<void> {
  await t.database.pool.query(
    `INSERT INTO leads (full_name, email, status, source, value, notes, created_at)
     SELECT $2 || ' ' || n, 'lead' || n || '@example.test',
            (ARRAY['new','contacted','qualified','converted','lost'])[1 + n % 5],
            CASE WHEN n % 2 = 0 THEN 'website' ELSE 'referral' END,
            n * 10, 'SECRET-NOTE-' || n, timestamptz '2026-01-01' + n * interval '1 second'
     FROM generate_series(1, $1::int) AS n`,
    [count, prefix],
  );
}

/**
 * The engine's context for calling it directly (EXPLAIN tests), as a request of `actor` would
 * get it; `db` may be a handle that records the queries.
 */
export function engineContextFor(
  t: TestApp,
  actor: EngineContext['actor'],
  db: EngineContext['db'] = t.app.db,
): EngineContext {
  return {
    db,
    actor,
    requestId: 'engine-test',
    logger: pino({ level: 'silent' }),
    config: t.config,
    enqueue: () => Promise.reject(new Error('no jobs here')),
    cursorKey: t.config.secretKey,
    ip: null,
    userAgent: null,
  };
}
