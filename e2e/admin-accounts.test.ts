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

describe('the generic admin for users, API keys and the audit log, in Chromium', () => {
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
    await signInPage(page, server, { role: 'admin' });

    // Through the navigation, as an admin would.
    await page.goto(`${server.baseUrl}/`);
    await page.getByRole('link', { name: 'Admin', exact: true }).first().click();
    await page.waitForURL('**/admin');
    const sidebar = page.getByRole('navigation', { name: 'Admin' });
    await sidebar.getByRole('link', { name: 'API keys' }).click();
    await page.waitForURL('**/admin/api-keys');
    await expect.poll(() => page.getByText('Nothing matches.').count()).toBe(1);
    await expectAccessible(page);

    // Submitting without scopes shows the server's field error, next to the scopes.
    await page.getByRole('link', { name: 'New API key' }).click();
    await page.waitForURL('**/admin/api-keys/new');
    await page.getByLabel('Name').fill('Website lead form');
    await page.getByRole('button', { name: 'Create' }).click();
    const scopes = page.getByRole('group', { name: 'Scopes' });
    await expect.poll(() => scopes.getAttribute('aria-invalid')).toBe('true');

    await scopes.getByRole('checkbox', { name: 'leads:write' }).check();
    await scopes.getByRole('checkbox', { name: 'newsletter:write' }).check();
    await page.getByRole('button', { name: 'Create' }).click();
    const key = page.getByTestId('admin-secret');
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
      url: '/api/v1/admin/resources/api-keys',
      headers: { authorization: `Api-Key ${secret}` },
    });
    expect(called.statusCode).toBe(403); // Authenticated (not 401), but no scope for this route.
    await page.getByRole('button', { name: 'Done' }).click();
    await page.waitForURL(/\/admin\/api-keys\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByTestId('admin-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    await screenshot(page, 'admin-api-key');

    // Revoking is destructive: the count is typed back first.
    await page.getByTestId('admin-row-action-revoke').click();
    const dialog = page.getByRole('dialog', { name: 'Revoke' });
    await expect
      .poll(() => dialog.getByTestId('admin-action-count').textContent())
      .toMatch(/1 row/);
    await expectAccessible(page);
    await screenshot(page, 'admin-api-key-revoke');
    // Tab stays in the modal dialog: nothing behind it takes focus.
    for (let press = 0; press < 6; press++) {
      await page.keyboard.press('Tab');
      const inDialog = await page.evaluate(() => {
        const active = document.activeElement;
        return !active || active === document.body || active.closest('dialog[open]') !== null;
      });
      expect(inDialog, `after ${press + 1} Tab presses`).toBe(true);
    }
    expect(await dialog.getByTestId('admin-action-run').isDisabled()).toBe(true);
    await dialog.getByLabel('Type 1 to confirm').fill('1');
    await dialog.getByTestId('admin-action-run').click();
    await expect
      .poll(() => dialog.getByTestId('admin-action-result').textContent())
      .toMatch(/Done: 1/);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const refused = await server.app.inject({
      url: '/api/v1/admin/resources/api-keys',
      headers: { authorization: `Api-Key ${secret}` },
    });
    expect(refused.statusCode).toBe(401);

    // The audit log, filtered by a search that lands in the URL.
    await sidebar.getByRole('link', { name: 'Audit events' }).click();
    await page.waitForURL('**/admin/audit-events');
    await expect.poll(() => page.getByRole('row', { name: /api-keys\.created/ }).count()).toBe(1);
    await page.getByRole('searchbox', { name: 'Search Audit events' }).fill('revoke');
    await page.waitForURL('**/admin/audit-events?q=revoke');
    await expect.poll(() => page.getByRole('row', { name: /api-keys\.created/ }).count()).toBe(0);
    await expect.poll(() => page.getByRole('row', { name: /api-keys\.revoke/ }).count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-log');

    // An event's details: who, from where, and its data.
    await page
      .getByRole('row', { name: /api-keys\.revoke/ })
      .getByRole('link')
      .first()
      .click();
    await page.waitForURL(/\/admin\/audit-events\/[0-9a-f-]+$/);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toMatch(/api-keys\.revoke/);
    await expectAccessible(page);
    await screenshot(page, 'admin-audit-event');

    // The browser logs the refused submit without scopes (a 400 answered on purpose), nothing else.
    expect(console.problems.filter((line) => !/status of 400/.test(line))).toEqual([]);
    await page.context().close();
  });

  it('finds a user, promotes them to staff and deactivates the account; an admin cannot demote themselves', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    const admin = await signInPage(page, server, { role: 'admin', displayName: 'Ada Admin' });
    const member = await createUser(server, { displayName: 'Lin Member' });
    // A list that cannot be loaded says so in place, with a way to try again.
    await page.route('**/api/v1/admin/resources/users?*', (route) =>
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
    const failed = page.getByRole('alert').filter({ hasText: 'The list could not be loaded' });
    await expect.poll(() => failed.textContent()).toContain('The database is not answering.');
    await expectAccessible(page);
    await screenshot(page, 'admin-users-load-failed');
    await page.unroute('**/api/v1/admin/resources/users?*');
    await failed.getByRole('button', { name: 'Try again' }).click();
    await expect.poll(() => page.getByRole('row', { name: /Lin Member/ }).count()).toBe(1);
    expect(await failed.count()).toBe(0);

    await page.getByRole('searchbox', { name: 'Search Users' }).fill('lin member');
    await page.waitForURL('**/admin/users?q=lin+member');
    await expect.poll(() => page.getByRole('row').count()).toBe(2); // header + Lin
    await page
      .getByRole('row', { name: /Lin Member/ })
      .getByRole('link')
      .first()
      .click();
    await page.waitForURL(`**/admin/users/${member.id}`);

    // A refused change stays in the form, with the server's words.
    await page.route(`**/api/v1/admin/resources/users/${member.id}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'conflict', message: 'Changed meanwhile.', requestId: 'r2' },
            }),
          })
        : route.continue(),
    );
    const role = page.getByLabel('Role');
    await expect.poll(() => role.inputValue()).toBe('user');
    await role.selectOption('admin');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Changed meanwhile.');
    await page.unroute(`**/api/v1/admin/resources/users/${member.id}`);

    await role.selectOption('staff');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByText('Changes saved').count()).toBe(1);
    // A verified, active account: "Deactivate" and "End all sessions", not "Activate" or a
    // verification mail.
    await expect
      .poll(() =>
        page
          .locator('[data-testid^="admin-row-action-"]')
          .evaluateAll((els) => els.map((el) => el.getAttribute('data-testid'))),
      )
      .toEqual(['admin-row-action-deactivate', 'admin-row-action-end-sessions']);
    await page.getByTestId('admin-row-action-deactivate').click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate' });
    await dialog.getByLabel('Type 1 to confirm').fill('1');
    await dialog.getByTestId('admin-action-run').click();
    await expect
      .poll(() => dialog.getByTestId('admin-action-result').textContent())
      .toMatch(/Done: 1/);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const [stored] = await server.app.db.select().from(users).where(eq(users.id, member.id));
    expect(stored).toMatchObject({ role: 'staff', isActive: false });
    // The page follows: the disabled account is offered "Activate" now.
    await page.getByTestId('admin-row-action-activate').waitFor();
    expect(await page.getByTestId('admin-row-action-deactivate').count()).toBe(0);

    // The admin's own record: demoting themselves is refused, the role stays.
    await page.goto(`${server.baseUrl}/admin/users/${admin.id}`);
    await expect.poll(() => page.getByLabel('Role').inputValue()).toBe('admin');
    await page.getByLabel('Role').selectOption('user');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('alert').count()).toBeGreaterThan(0);
    const [self] = await server.app.db.select().from(users).where(eq(users.id, admin.id));
    expect(self?.role).toBe('admin');
    await expectAccessible(page);
    await screenshot(page, 'admin-users');
    // The staged 503 and 409, and the refused self-demotion, are the only failures.
    expect(console.problems.filter((line) => !/status of (503|409|403|400)/.test(line))).toEqual(
      [],
    );
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
    await page.getByRole('button', { name: 'Filters' }).click();
    await expectAccessible(page);
    await screenshot(page, 'admin-api-keys-mobile');
    expect(await widerThanScreen(page)).toEqual([]);
    await page.goto(`${server.baseUrl}/admin/audit-events`);
    await expect.poll(() => page.getByRole('row', { name: /api-keys\.created/ }).count()).toBe(1);
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
    await page.goto(`${server.baseUrl}/admin/audit-events?q=created`);
    await expect.poll(() => page.getByRole('row', { name: /api-keys\.created/ }).count()).toBe(1);

    await destroyUserSessions(server.app.db, admin.id); // As if it expired or was revoked.
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/admin/audit-events?q=created');
    await expect.poll(() => page.getByText('Your session has expired').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'admin-session-expired');
    // The only console noise is the browser's log line for the refused request.
    expect(console.problems.filter((line) => !/status of 401/.test(line))).toEqual([]);
    await page.context().close();
  });
});
