import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJobsHarness, type JobsHarness } from '../jobs/test-support/harness.js';

// The built-in purge schedule, run as the scheduler runs it (its stored payload, on a worker),
// must delete exactly the pending subscriptions whose confirmation link no longer works.
describe('the newsletter purge schedule', () => {
  let h: JobsHarness;
  beforeAll(async () => {
    h = await createJobsHarness({ NEWSLETTER_CONFIRM_TTL_HOURS: '168' });
  });
  afterAll(() => h.close());

  async function pendingSentHoursAgo(email: string, hours: number) {
    const response = await h.inject({
      method: 'POST',
      url: '/api/v1/newsletter/subscribe',
      payload: { email },
    });
    expect(response.statusCode).toBe(202);
    await h.database.pool.query(
      `UPDATE newsletter_subscribers SET confirmation_sent_at = now() - make_interval(hours => $2)
       WHERE email = $1`,
      [email, hours],
    );
  }
  const exists = async (email: string) =>
    (await h.database.pool.query('SELECT 1 FROM newsletter_subscribers WHERE email = $1', [email]))
      .rowCount === 1;

  it('keeps subscriptions whose link is still valid under NEWSLETTER_CONFIRM_TTL_HOURS', async () => {
    await pendingSentHoursAgo('still-valid@example.com', 100); // 100 h < 168 h: the link works
    await pendingSentHoursAgo('expired@example.com', 200);

    const run = await h.inject({
      method: 'POST',
      url: '/api/jobs/schedules/crm-newsletter-purge/run',
    });
    expect(run.statusCode).toBe(202);
    await h.runtime('worker');
    await expect.poll(() => h.jobState(run.json().id), { timeout: 20_000 }).toBe('completed');

    expect(await exists('expired@example.com')).toBe(false);
    expect(await exists('still-valid@example.com')).toBe(true);
  });
});
