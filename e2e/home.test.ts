import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../apps/server/src/demo/seed.js';
import { signInPage } from './support/auth.js';
import {
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

const ORGANIZATION = 'Northwind Traders';
const phone = { width: 390, height: 844 };

/** The figure a module card shows under `label`. */
const stat = async (page: Page, module: string, label: string) =>
  (
    await page.getByTestId(`module-${module}`).locator(`[data-stat="${label}"] dd`).textContent()
  )?.trim();

describe('home page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ env: { ORGANIZATION_NAME: ORGANIZATION } }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows visitors what works and the ways in, accessibly', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await page.goto(server.baseUrl);

    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.title()).toBe(`Home · ${ORGANIZATION}`);
    const main = page.locator('main');
    for (const name of ['Account', 'CRM', 'Newsletter', 'Scans', 'Jobs', 'Admin']) {
      expect(
        await main.getByRole('heading', { level: 3, name: new RegExp(`^${name}`) }).count(),
      ).toBe(1);
    }
    // Nothing unbuilt is advertised.
    expect(await main.getByText(/coming soon/i).count()).toBe(0);
    await main.getByRole('link', { name: 'Create an account' }).waitFor();
    expect(await main.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login');

    expect(console.problems).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'home-visitor-desktop');
    await page.setViewportSize(phone);
    await screenshot(page, 'home-visitor-mobile');

    // The way in names the organisation, in the page and in the tab.
    await main.getByRole('link', { name: 'Sign in' }).click();
    await page.getByText(`Welcome back to ${ORGANIZATION}.`).waitFor();
    expect(await page.title()).toBe(`Sign in · ${ORGANIZATION}`);
    await page.context().close();
  });

  it('gives a signed-in admin an overview of every module with live counts and links', async () => {
    await seedDemo({ db: server.app.db, url: server.database.url, logger: server.app.log });
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'admin', displayName: 'Ada Admin' });
    await page.goto(server.baseUrl);

    await eventually(async () =>
      (await page.getByRole('heading', { level: 1 }).textContent())?.trim(),
    ).toBe('Welcome back, Ada Admin');
    for (const module of ['crm', 'newsletter', 'jobs', 'admin', 'accounts']) {
      await page.getByTestId(`module-${module}`).waitFor();
    }
    // The figures are the API's (demo data: 240 leads, 120 subscribers, 3 staff + this admin).
    await eventually(() => stat(page, 'crm', 'Leads')).toBe('240');
    const { rows } = await server.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM leads WHERE status = 'converted' AND deleted_at IS NULL`,
    );
    expect(await stat(page, 'crm', 'Converted')).toBe(String(rows[0]!.n));
    await eventually(() => stat(page, 'admin', 'Users')).toBe('4');
    await eventually(() => stat(page, 'accounts', 'Signed-in sessions')).toBe('1');
    await eventually(async () =>
      Number(await stat(page, 'newsletter', 'Subscribers')),
    ).toBeGreaterThan(0);
    await eventually(() => stat(page, 'jobs', 'Failed')).toMatch(/^\d+$/);
    // Staff see the API's live health too.
    await eventually(() => page.getByTestId('health-status').textContent()).toContain(
      'Operational',
    );
    expect(await page.getByTestId('health-database').textContent()).toMatch(/healthy/i);
    expect(
      await page
        .locator('main')
        .getByText(/coming soon/i)
        .count(),
    ).toBe(0);

    expect(console.problems).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'home-admin-desktop');
    await page.setViewportSize(phone);
    await screenshot(page, 'home-admin-mobile');

    // A figure leads into its module; the leads page names the organisation.
    await page.getByTestId('module-crm').getByRole('link', { name: 'Leads: 240' }).click();
    await eventually(() => page.title()).toBe(`Leads · ${ORGANIZATION}`);
    await page.getByText(`Everyone who asked about ${ORGANIZATION}, newest first.`).waitFor();
    await page.context().close();
  });

  it('shows a member only what a member may use', async () => {
    const page = await openPage(browser);
    await signInPage(page, server, { role: 'user', displayName: 'Mia Member' });
    await page.goto(server.baseUrl);
    await page.getByTestId('module-accounts').waitFor();
    await eventually(() => stat(page, 'accounts', 'Personal API tokens')).toBe('0');
    for (const module of ['crm', 'newsletter', 'jobs', 'admin']) {
      expect(await page.getByTestId(`module-${module}`).count(), module).toBe(0);
    }
    expect(await page.getByTestId('health-status').count()).toBe(0);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('works after a reload of a deep link on a phone-sized screen', async () => {
    const page = await openPage(browser, phone);
    const response = await page.goto(`${server.baseUrl}/no/such/page`);
    expect(response?.status()).toBe(200);
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toMatch(
      /not found/i,
    );
    await screenshot(page, 'not-found-mobile');
    await page.context().close();
  });
});
