import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import {
  startTestServer,
  type TestServer,
} from '../apps/server/src/modules/scans/engine/test-support.js';
import { startTestWorker } from '../apps/server/test/worker.js';
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

// A user registers a site of their own (a local server the test starts, allowed by
// SCAN_ALLOW_CIDRS), proves ownership with the token file, scans it and reads a finding.
describe('scans in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let worker: JobsRuntime;
  let site: TestServer;
  let token = '';

  beforeAll(async () => {
    site = await startTestServer({
      host: '127.0.0.9',
      routes: {
        '/': {
          headers: { 'content-type': 'text/html', 'x-powered-by': 'Express 4.17.1' },
          body: '<!doctype html><title>Shop</title><h1>Shop</h1>',
        },
        '/.well-known/bastion-verification.txt': (_request, response) => {
          response.writeHead(token ? 200 : 404, { 'content-type': 'text/plain' });
          response.end(token);
        },
      },
    });
    [server, browser] = await Promise.all([
      startServer({ env: { SCAN_ALLOW_CIDRS: '127.0.0.0/8', SCAN_ALLOWED_PORTS: '*' } }),
      launchBrowser(),
    ]);
    worker = await startTestWorker(server, 'scans:2,mail:1,default:1');
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await browser?.close();
    await server?.close();
    await site?.close();
  });

  it('registers a target, verifies it, scans it with live progress and opens a finding', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'user' });
    await page.goto(`${server.baseUrl}/scans`);
    await page.getByRole('button', { name: 'Add target' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Add target' });
    await dialog.getByLabel('URL').fill(`${site.origin}/`);
    await dialog.getByLabel('Name').fill('Local shop');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Add target' }).click();
    // Adding a target opens its page.
    await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Local shop',
    );

    // The site publishes the token the page shows, and "Verify now" finds it.
    const { rows } = await server.database.pool.query<{ verification_token: string }>(
      `SELECT verification_token FROM scan_targets WHERE name = 'Local shop'`,
    );
    token = rows[0]!.verification_token;
    expect(await page.getByText(token).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Verify now' }).click();
    await page.getByText('Ownership verified').waitFor();
    await screenshot(page, 'scans-target');
    expect(await seriousA11yViolations(page)).toEqual([]);

    // Scan now: progress while it runs, then the result page.
    await page.getByRole('button', { name: 'Scan now' }).first().click();
    await eventually(() => new URL(page.url()).pathname, { timeout: 30_000 }).toMatch(
      /^\/scans\/results\//,
    );
    await page.getByRole('heading', { name: 'Findings' }).waitFor();
    // The version in X-Powered-By is one of the findings; opening it shows its evidence.
    const finding = page.locator('details', { hasText: /x-powered-by/i }).first();
    await finding.locator('summary').click();
    await eventually(() => finding.textContent()).toContain('Express 4.17.1');
    await screenshot(page, 'scans-result');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'scans-result-mobile');
    expect(site.requests).toContain('GET /');

    // "Scan now" again within 24 h answers with that result, and the page says so; "Scan again"
    // scans anyway (here once the 60 s cooldown is over: the first scan is made older).
    await page.setViewportSize({ width: 1280, height: 900 });
    const firstScan = new URL(page.url()).pathname;
    await page.getByRole('link', { name: 'Back to the target' }).click();
    await page.getByRole('button', { name: 'Scan now' }).first().click();
    await page.getByTestId('scan-cached').waitFor();
    expect(new URL(page.url()).pathname).toBe(firstScan);
    await screenshot(page, 'scans-result-cached');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await server.database.pool.query(
      `UPDATE scans SET created_at = created_at - interval '2 minutes' WHERE url = $1`,
      [`${site.origin}/`],
    );
    await page.getByRole('button', { name: 'Scan again' }).click();
    await eventually(() => new URL(page.url()).pathname, { timeout: 30_000 }).not.toBe(firstScan);
    await page.getByRole('heading', { name: 'Findings' }).waitFor();
    expect(await page.getByTestId('scan-cached').count()).toBe(0);
    const { rows: scanned } = await server.database.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM scans WHERE url = $1 AND state = 'finished'`,
      [`${site.origin}/`],
    );
    expect(scanned[0]!.n).toBe(2);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });
});
