import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createUser, loginAs } from '../../test/auth.js';
import { users } from '../modules/accounts/schema.js';
import { leadActivities, leads, newsletterSubscribers } from '../modules/crm/schema.js';
import { seedDemo } from './seed.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('demo data', () => {
  it('fills the CRM, newsletter, staff, jobs and scans once, with consistent timelines', async () => {
    const admin = await createUser(t, { role: 'admin' });
    const now = Date.now();
    const summary = await seedDemo({ db: t.app.db, url: t.database.url, logger: t.app.log, now });
    // Scans: three targets with a month of daily (one weekly) history, checked in scans/demo.test.ts.
    expect(summary).toEqual({
      staff: 3,
      leads: 240,
      subscribers: 120,
      imports: 1,
      jobs: 40,
      targets: 3,
      scans: 65,
    });
    expect(await seedDemo({ db: t.app.db, url: t.database.url, logger: t.app.log })).toBe(
      undefined,
    );

    const [staff] = await t.app.db
      .select({ n: count() })
      .from(users)
      .where(eq(users.role, 'staff'));
    expect(staff!.n).toBe(3);
    const rows = await t.app.db.select().from(leads);
    expect(rows).toHaveLength(240);
    // Every status and several owners show up, and nothing is dated in the future.
    expect(new Set(rows.map((row) => row.status))).toEqual(
      new Set(['new', 'contacted', 'qualified', 'converted', 'lost']),
    );
    expect(new Set(rows.map((row) => row.ownerId)).has(admin.id)).toBe(true);
    expect(rows.every((row) => row.createdAt.getTime() <= now)).toBe(true);
    expect(rows.every((row) => row.updatedAt >= row.createdAt)).toBe(true);

    // Each lead's timeline starts with its creation and ends in its current status.
    const activities = await t.app.db.select().from(leadActivities);
    for (const lead of rows) {
      const own = activities
        .filter((activity) => activity.leadId === lead.id)
        .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
      expect(own[0]).toMatchObject({ kind: 'created', createdAt: lead.createdAt });
      const changes = own.filter((activity) => activity.kind === 'status_changed');
      expect(changes.at(-1)?.toStatus ?? 'new').toBe(lead.status);
      expect(own.every((activity) => activity.createdAt.getTime() <= now)).toBe(true);
    }

    const subscribers = await t.app.db.select().from(newsletterSubscribers);
    expect(new Set(subscribers.map((row) => row.status))).toEqual(
      new Set(['confirmed', 'pending', 'unsubscribed']),
    );

    // The product shows it: the dashboard and the jobs overview have something to say.
    const headers = await loginAs(t, admin);
    const stats = (await t.app.inject({ url: '/api/v1/leads/stats', headers })).json();
    expect(stats.per_day.some((day: { count: number }) => day.count > 0)).toBe(true);
    const overview = (await t.app.inject({ url: '/api/jobs/overview', headers })).json();
    const queue = overview.queues.find((entry: { name: string }) => entry.name === 'default');
    expect(queue.counts.created).toBe(40);
  });
});
