import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminResources } from '../apps/server/src/admin/registry.js';
import { seedDemo } from '../apps/server/src/demo/seed.js';
import { modules } from '../apps/server/src/modules/index.js';
import { installModules } from '../apps/server/src/modules/install.js';
import { sendMail } from '../apps/server/src/modules/mail/service.js';
import { createApiKey, createApiToken, type TestUser } from '../apps/server/test/auth.js';
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
import { startServer, type RunningServer } from './support/server.js';

// Every admin list an admin may open, and its first object, on the demo data (so each list has
// rows): no console errors, no serious or critical axe violations. One test per resource, so a
// slow machine times out one page, not the walk; its own file, so it runs beside admin.test.ts.

const SHOTS = process.env.ADMIN_SHOTS ?? '/tmp/admin-shots';

// The resources come from the module manifests, as the app's own list does.
installModules(modules);
const names = adminResources().map((resource) => resource.name);

describe('every admin list and object in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let console: ReturnType<typeof watchConsole>;
  let admin: TestUser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    await seedDemo({ db: server.app.db, url: server.database.url, logger: server.app.log });
    page = await openPage(browser);
    console = watchConsole(page);
    admin = await signInPage(page, server, { role: 'admin' });
    // The lists the demo leaves empty.
    await createApiKey(server, ['leads:read'], { name: 'website' });
    await createApiToken(server, admin, ['scans:read'], { name: 'laptop' });
    await sendMail(
      { db: server.app.db, config: server.config },
      { to: 'reader@example.test', subject: 'Welcome', text: 'Hello' },
    );
  });
  afterAll(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.close();
  });

  it.each(names)('%s', async (name) => {
    await page.goto(`${server.baseUrl}/admin/${name}`);
    await eventually(() => page.getByTestId('admin-count').textContent()).toMatch(/\d/);
    expect(await seriousA11yViolations(page), name).toEqual([]);
    const first = page.locator('[role="grid"] tbody tr[data-testid] a').first();
    expect(await first.count(), `${name} has rows`).toBe(1);
    await first.click();
    await page.waitForURL(new RegExp(`/admin/${name}/[^/]+$`));
    await eventually(() => page.locator('#record-title').textContent()).not.toBe('…');
    expect(await seriousA11yViolations(page), `${name} object`).toEqual([]);
    // From the top: a full-page capture of a scrolled page draws the sticky bars mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, `admin-object-${name}`);
    mkdirSync(SHOTS, { recursive: true });
    copyFileSync(
      join(screenshotDir, `admin-object-${name}.png`),
      join(SHOTS, `object-${name}.png`),
    );
    expect(console.problems).toEqual([]);
  });
});
