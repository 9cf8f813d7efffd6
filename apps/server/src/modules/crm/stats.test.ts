import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { leadInput, staffHeaders } from './test-support.js';

let t: TestApp;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp();
  headers = await staffHeaders(t);
});
afterAll(() => t.close());

describe('lead stats', () => {
  it('sums the deal values per status, counting leads without one as nothing', async () => {
    const leads = [
      { status: 'qualified', value: 1000, email: 'q1@example.com' },
      { status: 'qualified', value: 2500.5, email: 'q2@example.com' },
      { status: 'new', email: 'n1@example.com' },
    ] as const;
    for (const lead of leads) {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/leads',
        headers,
        payload: leadInput(lead),
      });
      expect(created.statusCode).toBe(201);
    }
    const stats = (await t.app.inject({ url: '/api/v1/leads/stats', headers })).json();
    expect(stats.by_status).toEqual([
      { status: 'new', count: 1, value: 0 },
      { status: 'contacted', count: 0, value: 0 },
      { status: 'qualified', count: 2, value: 3500.5 },
      { status: 'converted', count: 0, value: 0 },
      { status: 'lost', count: 0, value: 0 },
    ]);
  });
});
