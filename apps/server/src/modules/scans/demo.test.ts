import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/app.js';
import { demoRandom } from '../../demo/random.js';
import { ensureDemoStaff } from '../accounts/demo.js';
import { seedScansDemo } from './demo.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

it('seeds targets with a month of graded scans whose grades move', async () => {
  const owners = await ensureDemoStaff(database.db);
  const counts = await seedScansDemo(database.db, demoRandom(7), owners, {
    now: Date.parse('2026-06-01T12:00:00Z'),
  });
  expect(counts).toEqual({ targets: 3, scans: 30 + 30 + 5 });
  const { rows } = await database.pool.query<{ name: string; grades: string[]; days: number }>(`
    select t.name, array_agg(distinct s.grade) as grades,
           count(distinct date_trunc('day', s.finished_at))::int as days
    from scan_targets t join scans s on s.target_id = t.id
    where s.state = 'finished' and s.report is not null and s.raw is not null
    group by t.name order by t.name`);
  expect(rows.map((row) => row.name)).toEqual([
    'Contoso intranet portal',
    'Fabrikam blog',
    'Northwind shop',
  ]);
  // Each daily site's grade changes during the month (what the charts are for).
  for (const row of rows.filter((row) => row.name !== 'Fabrikam blog')) {
    expect(row.days).toBe(30);
    expect(row.grades.length).toBeGreaterThan(1);
  }
});
