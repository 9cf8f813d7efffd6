import { eq } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../apps/server/src/modules/accounts/schema.js';
import { destroyUserSessions } from '../apps/server/src/modules/accounts/sessions.js';
import { createUser } from '../apps/server/test/auth.js';
import { signInPage } from './support/auth.js';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

describe('admin pages for users, API keys and the audit log, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  it('creates an API key shown once, revokes it, and finds both in the audit log', async () => {
    const page = await openPage(browser);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: server.baseUrl,
    });
    const console = watchConsole(page);
    const admin = await signInPage(page, server, { role: 'admin' });

    // Through the navigation, as an admin would.
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Admin', exact: true }).first().click();
    await page.waitForURL('**/admin/users');
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL('**/admin/api-keys');
    await expect.poll(() => page.getByText('No API keys yet.').count()).toBe(1);
    await expectAccessible(page);

    // Submitting without scopes shows the server's field error, next to the scopes.
    await page.getByLabel('Key name').fill('Website lead form');
    await page.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('correct');

    await page.getByRole('checkbox', { name: 'leads:write' }).check();
    await page.getByRole('checkbox', { name: 'newsletter:write' }).check();
    await page.getByRole('button', { name: 'Create key' }).click();
    const key = page.getByTestId('new-api-key');
    await expect.poll(() => key.textContent()).toMatch(/^\S{20,}$/);
    const secret = (await key.textContent())!;
    await page.getByRole('button', { name: 'Copy key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    // The toast shows inside the modal dialog: the page behind it is inert.
    const copied = page.getByRole('dialog').getByText('API key copied');
    await expect.poll(() => copied.count()).toBe(1);
    expect(await copied.isVisible()).toBe(true);
    await expectAccessible(page);
    await screenshot(page, 'admin-api-key-created');

    // The key works, and after "Done" it is nowhere on the page any more.
    const called = await server.app.inject({
      url: '/api/v1/admin/api-keys',
      headers: { authorization: `Api-Key ${secret}` },
    });
    expect(called.statusCode).toBe(403); // Authenticated (not 401), but no scope for this route.
    await page.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('row', { name: /Website lead form/ });
    await expect.poll(() => row.count()).toBe(1);
    await expect.poll(() => page.getByTestId('new-api-key').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'admin-api-keys');

    await row.getByRole('button', { name: 'Revoke Website lead form' }).click();
    await expect.poll(() => page.getByRole('dialog').textContent()).toContain('Website lead form');
    await expectAccessible(page);
    await screenshot(page, 'admin-api-key-revoke');
    // Tab stays in the modal dialog: nothing behind it takes focus (past its last button the
    // browser's own controls get it, here none: the document).
    for (let press = 0; press < 6; press++) {
      await page.keyboard.press('Tab');
      const inDialog = await page.evaluate(() => {
        const active = document.activeElement;
        return !active || active === document.body || active.closest('dialog[open]') !== null;
      });
      expect(inDialog, `after ${press + 1} Tab presses`).toBe(true);
    }
    await page.getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.getByText('Revoked').count()).toBe(1);
    expect(await row.getByRole('button', { name: /Revoke/ }).count()).toBe(0);
    const refused = await server.app.inject({
      url: '/api/v1/admin/api-keys',
      headers: { authorization: `Api-Key ${secret}` },
    });
    expect(refused.statusCode).toBe(401);

    await page.getByRole('link', { name: 'Audit log' }).first().click();
    await page.waitForURL('**/admin/audit');
    const created = page.getByRole('row', { name: /api_key\.created/ });
    await expect.poll(() => created.count()).toBe(1);
    expect(await created.textContent()).toContain(admin.email);
    await expect.poll(() => page.getByRole('row', { name: /api_key\.revoked/ }).count()).toBe(1);

    // Filter by action: the choice lands in the URL and narrows the table.
    await page.getByLabel('Action').selectOption('api_key.revoked');
    await page.waitForURL('**/admin/audit?action=api_key.revoked');
    await expect.poll(() => page.getByRole('row', { name: /api_key\.created/ }).count()).toBe(0);
    await expect.poll(() => page.getByRole('row', { name: /api_key\.revoked/ }).count()).toBe(1);
    // Filter by an actor who did nothing: empty state.
    await page.getByLabel('Actor').fill('nobody@example.test');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByText('No events match these filters.').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear' }).click();
    await expect.poll(() => page.getByRole('row', { name: /api_key\.created/ }).count()).toBe(1);
    // Filter by days (browser time): up to yesterday finds nothing, from today finds the events.
    const day = (offset: number) => {
      const date = new Date();
      date.setDate(date.getDate() + offset);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
    };
    await page.getByLabel('To', { exact: true }).fill(day(-1));
    await expect.poll(() => page.getByText('No events match these filters.').count()).toBe(1);
    expect(page.url()).toContain(`to=${day(-1)}`);
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByLabel('From', { exact: true }).fill(day(0));
    await expect.poll(() => page.getByRole('row', { name: /api_key\.created/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-log');

    // An event's details: who, from where, and its data.
    await page.getByRole('button', { name: 'View details of api_key.created' }).click();
    const details = page.getByRole('dialog', { name: 'api_key.created' });
    await expect.poll(() => details.locator('pre').textContent()).toContain('"name"');
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-event');
    await page.keyboard.press('Escape');
    await expect.poll(() => details.count()).toBe(0);

    // The browser logs the refused submit without scopes (a 400 answered on purpose), nothing else.
    expect(console.problems.filter((line) => !/status of 400/.test(line))).toEqual([]);
    await page.context().close();
  });

  it('finds a user, promotes them to staff and disables the account; an admin cannot demote themselves', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    const admin = await signInPage(page, server, { role: 'admin', displayName: 'Ada Admin' });
    const member = await createUser(server, { displayName: 'Lin Member' });
    // A list that cannot be loaded says so in place, with a way to try again.
    await page.route('**/api/v1/admin/users?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        headers: { 'Retry-After': '5' },
        body: JSON.stringify({
          error: {
            code: 'unavailable',
            message: 'The database is not answering.',
            requestId: 'r1',
          },
        }),
      }),
    );
    await page.goto(`${server.baseUrl}/admin/users`);
    const failed = page.getByRole('alert').filter({ hasText: 'The users could not be loaded' });
    await expect.poll(() => failed.textContent()).toContain('The database is not answering.');
    expect(await page.getByRole('table').count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'admin-users-load-failed');
    await page.unroute('**/api/v1/admin/users?*');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Lin Member/ }).count()).toBe(1);
    expect(await failed.count()).toBe(0);

    await page.getByRole('searchbox', { name: 'Search' }).fill('lin member');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const row = page.getByRole('row', { name: /Lin Member/ });
    await expect.poll(() => page.getByRole('row').count()).toBe(2); // header + Lin
    expect(page.url()).toContain('search=lin+member');

    // A refused change leaves the row as it was.
    await page.route('**/api/v1/admin/users/*', (route) =>
      route.fulfill({
        status: 409,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'conflict', message: 'Changed meanwhile.' } }),
      }),
    );
    await row.getByLabel(`Role of ${member.email}`).selectOption('admin');
    await expect.poll(() => page.getByText('Not saved').count()).toBe(1);
    await expect.poll(() => row.getByLabel(`Role of ${member.email}`).inputValue()).toBe('user');
    await page.unroute('**/api/v1/admin/users/*');

    await row.getByLabel(`Role of ${member.email}`).selectOption('staff');
    await expect.poll(() => page.getByText('Role changed to Staff').count()).toBe(1);
    await row.getByRole('button', { name: `Disable ${member.email}` }).click();
    await expect.poll(() => row.getByText('Disabled').count()).toBe(1);
    const [stored] = await server.app.db.select().from(users).where(eq(users.id, member.id));
    expect(stored).toMatchObject({ role: 'staff', isActive: false });

    // The admin's own row: role locked, no disable button.
    await page.getByRole('searchbox', { name: 'Search' }).fill(admin.email);
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const own = page.getByRole('row', { name: /Ada Admin/ });
    await expect.poll(() => own.count()).toBe(1);
    expect(await own.getByLabel(`Role of ${admin.email}`).isDisabled()).toBe(true);
    expect(await own.getByRole('button', { name: /Disable/ }).count()).toBe(0);
    await expectAccessible(page);
    await screenshot(page, 'admin-users');
    // The one 503 and the one 409 are the failures staged above.
    expect(console.problems.filter((line) => !/status of (503|409)/.test(line))).toEqual([]);
    await page.context().close();
  });

  /** Elements sticking out of the screen (tables scroll inside their own region instead). */
  function widerThanScreen(page: Page): Promise<string[]> {
    return page.evaluate(() => {
      const offenders = [...document.querySelectorAll('body *')]
        .filter((element) => element.getBoundingClientRect().right > window.innerWidth + 1)
        .filter((element) => !element.closest('[role="region"]'))
        .map((element) => `${element.tagName.toLowerCase()}.${element.className}`.slice(0, 120));
      // Also catches what escapes a scrolling region (e.g. an absolutely positioned sr-only span).
      const width = document.documentElement.scrollWidth;
      return width > window.innerWidth ? [...offenders, `document is ${width}px wide`] : offenders;
    });
  }

  it('looks right on a phone', async () => {
    const page = await openPage(browser, { width: 390, height: 844 });
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'admin' });
    await page.goto(`${server.baseUrl}/admin/api-keys`);
    await expect.poll(() => page.getByRole('row', { name: /Website lead form/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-api-keys-mobile');
    expect(await widerThanScreen(page)).toEqual([]);
    await page.goto(`${server.baseUrl}/admin/audit`);
    await expect.poll(() => page.getByRole('row', { name: /api_key\.created/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-log-mobile');
    expect(await widerThanScreen(page)).toEqual([]);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('sends a user whose session ended to sign in, and back to the same page after', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    const admin = await signInPage(page, server, { role: 'admin' });
    await page.goto(`${server.baseUrl}/admin/audit?action=api_key.created`);
    await expect.poll(() => page.getByRole('row', { name: /api_key\.created/ }).count()).toBe(1);

    await destroyUserSessions(server.app.db, admin.id); // As if it expired or was revoked.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(
      '/admin/audit?action=api_key.created',
    );
    await expect.poll(() => page.getByText('Your session has expired').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-session-expired');
    // The only console noise is the browser's log line for the refused request.
    expect(console.problems.filter((line) => !/status of 401/.test(line))).toEqual([]);
    await page.context().close();
  });
});
