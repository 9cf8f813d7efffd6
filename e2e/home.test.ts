import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

describe('home page in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the live API health under the strict CSP, accessibly', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await page.goto(server.baseUrl);

    await expect
      .poll(() => page.getByTestId('health-status').textContent())
      .toContain('Operational');
    expect(await page.getByTestId('health-database').textContent()).toMatch(/healthy/i);
    expect(console.problems).toEqual([]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'home-desktop');
    await page.context().close();
  });

  it('works on a phone-sized screen and after a reload of a deep link', async () => {
    const page = await openPage(browser, { width: 390, height: 844 });
    const response = await page.goto(`${server.baseUrl}/no/such/page`);
    expect(response?.status()).toBe(200);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toMatch(/not found/i);
    await screenshot(page, 'not-found-mobile');
    await page.goto(server.baseUrl);
    await expect
      .poll(() => page.getByTestId('health-status').textContent())
      .toContain('Operational');
    await screenshot(page, 'home-mobile');
    await page.context().close();
  });
});
