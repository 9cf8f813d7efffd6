import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import { createUser, loginAs } from '../apps/server/test/auth.js';
import { signInPage } from './support/auth.js';
import {
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  screenshotDir,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, startWorker, type RunningServer } from './support/server.js';

// The generic admin (/admin) in Chromium: pages built from the resource metadata, over the real
// API and database, with a worker for the bulk actions that run as jobs.

const SHOTS = process.env.ADMIN_SHOTS ?? '/tmp/admin-shots';
const phone = { width: 390, height: 844 };

/** A screenshot in the e2e folder, copied where the reviewers look at them. */
async function shot(page: Page, name: string) {
  await screenshot(page, `admin-${name}`);
  mkdirSync(SHOTS, { recursive: true });
  copyFileSync(join(screenshotDir, `admin-${name}.png`), join(SHOTS, `${name}.png`));
}

describe('the generic admin in Chromium', () => {
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

  it('keeps a plain user out: 403 from the admin API, and the UI sends them away', async () => {
    const user = await createUser(server, { role: 'user' });
    const answer = await server.app.inject({
      method: 'GET',
      url: '/api/v1/admin/resources',
      headers: await loginAs(server, user),
    });
    expect(answer.statusCode).toBe(403);
    expect(answer.json()).toMatchObject({ error: { code: expect.any(String) } });

    const page = await openPage(browser);
    const console = watchConsole(page);
    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/admin')) asked.push(request.url());
    });
    await signInPage(page, server, { role: 'user' });
    for (const path of ['/admin', '/admin/users', '/admin/leads/1']) {
      await page.goto(`${server.baseUrl}${path}`);
      await eventually(() => new URL(page.url()).pathname).toBe('/');
    }
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    expect(asked).toEqual([]);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it("an admin changes a user's role, and the history shows it", async () => {
    const target = await createUser(server, {
      role: 'user',
      displayName: 'Grace Hopper',
      email: 'grace@example.test',
    });
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'admin', displayName: 'Ada Admin' });
    await page.goto(`${server.baseUrl}/admin`);
    await page
      .getByRole('navigation', { name: 'Admin' })
      .getByRole('link', { name: 'Users' })
      .click();
    await page.waitForURL('**/admin/users');
    await eventually(() => page.getByRole('link', { name: 'grace@example.test' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'users-list');

    await page.getByRole('link', { name: 'grace@example.test' }).click();
    await page.waitForURL(`**/admin/users/${target.id}`);
    const role = page.getByLabel('Role');
    await eventually(() => role.inputValue()).toBe('user');
    await role.selectOption('staff');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await eventually(() => page.getByTestId('admin-history-updated').count()).toBe(1);
    await eventually(() => page.getByTestId('admin-history').textContent()).toMatch(/Role/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'user-detail');

    const answer = await server.app.inject({
      method: 'GET',
      url: `/api/v1/admin/resources/users/${target.id}`,
      headers: await loginAs(server, target),
    });
    expect(answer.statusCode).toBe(200); // Staff now: the admin API opens to them.
    expect(answer.json().record.role).toBe('staff');
    expect(console.problems).toEqual([]);

    await page.setViewportSize(phone);
    await page.goto(`${server.baseUrl}/admin/users`);
    await eventually(() => page.getByRole('link', { name: 'grace@example.test' }).count()).toBe(1);
    await shot(page, 'users-list-phone');
    await page.goto(`${server.baseUrl}/admin/users/${target.id}`);
    await eventually(() => page.getByTestId('admin-history-updated').count()).toBe(1);
    await shot(page, 'user-detail-phone');
    await page.context().close();
  });
});
