import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import { createUser, loginAs } from '../apps/server/test/auth.js';
import { expectPlainUserSentHome, signInPage } from './support/auth.js';
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
  // From the top: a full-page capture of a scrolled page draws the sticky bars mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
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

    await expectPlainUserSentHome(browser, server, {
      paths: ['/admin', '/admin/users', '/admin/leads/1'],
      api: '/api/v1/admin',
      menu: 'Admin',
    });
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
  it('staff find a lead by search, edit it, see the change in its history and restore it', async () => {
    await server.app.db.execute(sql`
      insert into leads (full_name, email, company_name, status)
      values ('Katherine Johnson', 'katherine@example.com', 'NASA Langley', 'new'),
             ('Dorothy Vaughan', 'dorothy@example.com', 'NASA Langley', 'contacted'),
             ('Mary Jackson', 'mary@example.com', 'NACA', 'qualified')`);
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff', displayName: 'Sam Staff' });
    await page.goto(`${server.baseUrl}/admin/leads`);
    await eventually(() => page.getByRole('link', { name: 'Mary Jackson' }).count()).toBe(1);
    // `/` puts the keyboard in the search; typing filters (debounced) and lands in the URL.
    await page.keyboard.press('/');
    await page.keyboard.type('katherine');
    await page.waitForURL('**/admin/leads?q=katherine');
    await eventually(() => page.getByRole('link', { name: 'Mary Jackson' }).count()).toBe(0);
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/^1 lead$/);
    // The CRM's own import (dry run first) is one click away, not a second importer.
    expect(
      await page.getByRole('link', { name: 'Import leads from CSV' }).getAttribute('href'),
    ).toBe('/crm/import');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'leads-search');

    // A new lead: the form comes from the metadata, the API's errors sit next to their fields.
    await page.getByRole('link', { name: 'New lead' }).click();
    await page.waitForURL('**/admin/leads/new');
    await page.getByLabel('Name').fill('1234');
    await page.getByRole('button', { name: 'Create' }).click();
    await eventually(() => page.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'lead-new-errors');
    await page.goBack();
    await page.waitForURL('**/admin/leads?q=katherine');
    // The list loads again after "back": keys pressed before its row is there move nothing.
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/^1 lead$/);
    await page.locator('[role="grid"] tbody tr[data-testid]').first().waitFor();

    // j moves onto the first row, Enter opens it.
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/leads\/\d+$/);
    const company = page.getByLabel('Company');
    await eventually(() => company.inputValue()).toBe('NASA Langley');
    await company.fill('NASA Ames');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const history = page.getByTestId('admin-history');
    await eventually(() => history.getByTestId('admin-history-updated').count()).toBe(1);
    const entry = history.getByTestId('admin-history-updated');
    expect(await entry.textContent()).toMatch(/Company.*NASA Langley.*NASA Ames/);
    // Who did it, by name; the bumped "Updated" time is no change worth listing.
    expect(await entry.textContent()).toMatch(/by Sam Staff/);
    expect(await entry.textContent()).not.toMatch(/Updated\s*Dec|Updated at/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'lead-detail');

    await entry.getByRole('button', { name: 'Restore this version' }).click();
    await eventually(() => company.inputValue()).toBe('NASA Langley');
    // The restore is a change of its own, recorded on top.
    await eventually(() => history.getByTestId('admin-history-restored').count()).toBe(1);
    await eventually(() => history.locator('li').count()).toBe(2);
    const rows = await server.app.db.execute<{ company_name: string }>(
      sql`select company_name from leads where full_name = 'Katherine Johnson'`,
    );
    expect(rows.rows[0]?.company_name).toBe('NASA Langley');
    // The refused create (a 400 on purpose) is the browser's only complaint.
    expect(console.problems.filter((line) => !/status of 400/.test(line))).toEqual([]);

    // "View on site": the same lead on the CRM's own page.
    await page.getByTestId('admin-view-on-site').click();
    await page.waitForURL(/\/crm\/leads\/\d+$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(
      'Katherine Johnson',
    );
    await page.goBack();

    await page.setViewportSize(phone);
    await shot(page, 'lead-detail-phone');
    await page.goto(`${server.baseUrl}/admin/leads`);
    await eventually(() => page.getByRole('link', { name: 'Mary Jackson' }).count()).toBe(1);
    await shot(page, 'leads-phone');
    await page.context().close();
  });

  it('deletes a lead (soft), finds it among the deleted, and restores it from its history', async () => {
    await server.app.db.execute(
      sql`insert into leads (full_name, email) values ('Hedy Lamarr', 'hedy@example.com')`,
    );
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff' });
    await page.goto(`${server.baseUrl}/admin/leads?q=hedy`);
    await page.getByRole('link', { name: 'Hedy Lamarr' }).click();
    await page.waitForURL(/\/admin\/leads\/\d+$/);
    const url = page.url();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await eventually(() => page.getByTestId('admin-deleted').count()).toBe(1);

    await page.goto(`${server.baseUrl}/admin/leads?q=hedy`);
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/^0 leads$/);
    await page.getByLabel('Deleted rows').selectOption('only');
    await page.waitForURL('**/admin/leads?q=hedy&deleted=only');
    await page.getByRole('link', { name: 'Hedy Lamarr' }).click();
    await page.waitForURL(url);
    const deleted = page.getByTestId('admin-history-deleted');
    await deleted.getByRole('button', { name: 'Restore this version' }).click();
    await eventually(() => page.getByTestId('admin-deleted').count()).toBe(0);
    const rows = await server.app.db.execute<{ deleted_at: string | null }>(
      sql`select deleted_at from leads where full_name = 'Hedy Lamarr'`,
    );
    expect(rows.rows[0]?.deleted_at).toBeNull();
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('the command palette opens an object by its name', async () => {
    await server.app.db.execute(
      sql`insert into leads (full_name, email) values ('Annie Easley', 'annie@example.com')`,
    );
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff' });
    await page.goto(`${server.baseUrl}/admin`);
    await eventually(() => page.getByRole('link', { name: 'Leads' }).count()).toBeGreaterThan(0);
    await eventually(() => page.getByTestId('admin-overview-count-leads').textContent()).toMatch(
      /^\d+$/,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await shot(page, 'overview');
    await page.setViewportSize(phone);
    await shot(page, 'overview-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Go to…' });
    await palette.getByRole('combobox').fill('Annie');
    await eventually(() => palette.getByRole('option', { name: /Annie Easley/ }).count()).toBe(1);
    await shot(page, 'palette');
    await page.keyboard.press('ArrowDown');
    await eventually(() =>
      palette.getByRole('option', { name: /Annie Easley/ }).getAttribute('aria-selected'),
    ).toBe('true');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/leads\/\d+$/);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(
      /Annie Easley/,
    );
    // `?` lists the shortcuts.
    await page.locator('h1').click();
    await page.keyboard.press('?');
    await eventually(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(
      1,
    );
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('runs a bulk action over a filter of 500 leads as a job, with progress', async () => {
    await server.app.db.execute(sql`
      insert into leads (full_name, email, source, status)
      select 'Fair visitor ' || n, 'visitor' || n || '@example.com', 'fair', 'new'
      from generate_series(1, 500) as n`);
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff' });
    await page.goto(`${server.baseUrl}/admin/leads`);
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByTestId('admin-filters').getByLabel('Source').fill('fair');
    await page.getByTestId('admin-filters').getByLabel('Source').press('Enter');
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/^500 leads$/);
    expect(new URL(page.url()).searchParams.get('f')).toBe('{"source":"fair"}');

    await page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await page.getByTestId('admin-select-all').click();
    await eventually(() => page.getByTestId('admin-selection').textContent()).toMatch(
      /500 matching rows selected/,
    );
    await shot(page, 'leads-bulk-selection');
    await page.getByTestId('admin-bulk-menu').click();
    await page.getByTestId('admin-bulk-mark-lost').click();
    const dialog = page.getByTestId('admin-action-dialog');
    await eventually(() => dialog.getByTestId('admin-action-count').textContent()).toMatch(/500/);
    await page.getByTestId('admin-action-run').click();
    await eventually(() => page.getByTestId('admin-action-progress').count()).toBe(1);
    await shot(page, 'leads-bulk-progress');
    await eventually(() => dialog.getByTestId('admin-action-result').textContent(), {
      timeout: 30_000,
    }).toMatch(/Done: 500/);
    const lost = await server.app.db.execute<{ n: number }>(
      sql`select count(*)::int as n from leads where source = 'fair' and status = 'lost'`,
    );
    expect(lost.rows[0]?.n).toBe(500);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });
  // After the bulk run above: its 500 leads are the ones marked lost.
  it('saves a view (filters, columns) shared with staff, opened by its link, and exports it as CSV', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff' });
    await page.goto(`${server.baseUrl}/admin/leads`);
    await page.getByRole('button', { name: 'Filters' }).click();
    await page.getByTestId('admin-filters').getByLabel('Status').selectOption('lost');
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/^500 leads$/);
    // "Show counts": each status says how many leads it would leave (within the other filters).
    await page.getByTestId('admin-show-counts').check();
    await eventually(() =>
      page.getByTestId('admin-filters').getByLabel('Status').locator('option').allTextContents(),
    ).toContain('Lost (500)');
    await screenshot(page, 'admin-filter-counts');
    await page.getByTestId('admin-columns').locator('summary').click();
    await page.getByTestId('admin-columns').getByRole('checkbox', { name: 'Email' }).uncheck();
    await eventually(() => page.getByRole('columnheader', { name: 'Email' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Save view' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByLabel('Name').fill('Lost at the fair');
    await dialog.getByLabel('Who sees it').selectOption('staff');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await eventually(() => new URL(page.url()).searchParams.get('view')).toMatch(/^[0-9a-f-]{36}$/);
    const view = new URL(page.url()).searchParams.get('view')!;

    // The CSV of what the list shows: the filter and the chosen columns.
    const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    const csv = await page.request.get(`${server.baseUrl}${href}`);
    expect(csv.status()).toBe(200);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines).toHaveLength(501);
    expect(lines[0]).not.toMatch(/mail/i);
    expect(console.problems).toEqual([]);
    await page.context().close();

    // Someone else on the staff opens the view by its link alone.
    const other = await openPage(browser);
    await signInPage(other, server, { role: 'staff' });
    await other.goto(`${server.baseUrl}/admin/leads?view=${view}`);
    await eventually(() => other.getByTestId('admin-count').textContent()).toMatch(/^500 leads$/);
    expect(await other.getByRole('columnheader', { name: 'Email' }).count()).toBe(0);
    expect(await other.getByTestId('admin-views').inputValue()).toBe(view);
    // A link with a stale or broken page cursor opens the first page instead of an error.
    await other.goto(`${server.baseUrl}/admin/leads?view=${view}&cursor=not-a-cursor`);
    await eventually(() => new URL(other.url()).searchParams.has('cursor')).toBe(false);
    await eventually(() => other.getByTestId('admin-count').textContent()).toMatch(/^500 leads$/);
    expect(await other.getByText('The list could not be loaded').count()).toBe(0);
    await other.context().close();
  });
});
