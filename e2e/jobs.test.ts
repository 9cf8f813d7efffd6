import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineJob, registerJobs } from '../apps/server/src/modules/jobs/registry.js';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import { signInPage } from './support/auth.js';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, startWorker, type RunningServer } from './support/server.js';

// Fails until the test lets it pass: the first run lands in "failed", the retry from the UI succeeds.
let allowed = false;
const reportJob = defineJob({
  name: 'e2e.report',
  queue: 'default',
  schema: z.object({ account: z.string() }),
  retry: { limit: 0 },
  timeoutSeconds: 30,
  async handler({ account }) {
    if (!allowed) throw new Error(`SMTP relay refused the report for ${account}`);
  },
});

registerJobs([reportJob]);

describe('jobs dashboard in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let runtime: JobsRuntime;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    runtime = await startWorker(server);
  });
  afterAll(async () => {
    await runtime?.stop(1000);
    await browser?.close();
    await server?.close();
  });

  it('shows a failed job with its error and retrying it from the UI succeeds', async () => {
    const id = await server.app.jobs.enqueue(reportJob, { account: 'acme' });
    const state = async () =>
      (
        await server.database.db.execute<{ state: string }>(
          sql`SELECT state::text AS state FROM pgboss.job WHERE id = ${id}`,
        )
      ).rows[0]?.state;
    await expect.poll(state, { timeout: 10_000 }).toBe('failed');

    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/jobs`);
    const row = page
      .getByRole('row')
      .filter({ hasText: 'e2e.report' })
      .filter({ hasText: 'default' });
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Failed');
    expect(await row.textContent()).toContain('SMTP relay refused the report for acme');

    // The details dialog shows payload and stack.
    await row.getByRole('button', { name: 'e2e.report', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('"account": "acme"');
    expect(await dialog.textContent()).toContain('at Object.handler');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'jobs-failed-details');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    allowed = true;
    await row.getByRole('button', { name: /^Retry e2e\.report/ }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Notifications' }).textContent())
      .toContain('queued again');
    await expect.poll(state, { timeout: 10_000 }).toBe('completed');
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Completed');

    expect(console.problems).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'jobs-desktop');
    await page.context().close();
  });

  it('lists schedules with their next run and works on a phone-sized screen', async () => {
    const page = await openPage(browser, { width: 390, height: 844 });
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/jobs`);
    const heartbeat = page.getByRole('row').filter({ hasText: 'jobs-heartbeat' });
    await expect.poll(() => heartbeat.textContent(), { timeout: 10_000 }).toContain('*/5 * * * *');
    await heartbeat.getByRole('button', { name: 'Edit jobs-heartbeat' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cron expression').fill('99 * * * *');
    await expect.poll(() => dialog.textContent()).toContain('Invalid cron expression');
    await dialog.getByLabel('Cron expression').fill('0 6 * * 1');
    await expect.poll(() => dialog.locator('li').count()).toBe(5);
    await dialog.getByRole('button', { name: 'Save schedule' }).click();
    await expect.poll(() => heartbeat.textContent()).toContain('0 6 * * 1');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'jobs-mobile');
    await page.context().close();
  });

  it('sends a visitor who is not signed in to the login page', async () => {
    const page = await openPage(browser);
    await page.goto(`${server.baseUrl}/jobs`);
    await expect.poll(() => new URL(page.url()).pathname).toBe('/login');
    await page.context().close();
  });
});
