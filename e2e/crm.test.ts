import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import { createApiKey } from '../apps/server/test/auth.js';
import { expectPlainUserSentHome, signInPage } from './support/auth.js';
import {
  launchBrowser,
  openPage,
  screenshot,
  eventually,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, startWorker, type RunningServer } from './support/server.js';

describe('CRM in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let runtime: JobsRuntime;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // CSV imports run as jobs: a worker on the same database.
    runtime = await startWorker(server);
  });
  afterAll(async () => {
    await runtime?.stop(1000);
    await browser?.close();
    await server?.close();
  });

  it('keeps the CRM for staff: a plain user who types its address is sent home, asking nothing', async () => {
    await expectPlainUserSentHome(browser, server, {
      paths: ['/crm/leads', '/crm/board', '/crm'],
      api: '/api/v1/leads',
      menu: 'CRM',
    });
  });

  it('creates a lead from the leads page, shows field errors, and finds it with the filter', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm/leads`);
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByLabel('Full name').fill('1234');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    // The API's field errors appear next to their fields.
    await eventually(() =>
      dialog.getByText('Full name cannot consist of digits only.').count(),
    ).toBe(1);
    await eventually(() =>
      dialog.getByText('Either email or phone_number is required.').count(),
    ).toBe(1);

    await dialog.getByLabel('Full name').fill('Katherine Johnson');
    await dialog.getByLabel('Email').fill('katherine@example.com');
    await dialog.getByLabel('Company').fill('NASA Langley');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await eventually(() => dialog.count()).toBe(0);
    await eventually(() => page.getByRole('link', { name: 'Katherine Johnson' }).count()).toBe(1);

    await page.getByRole('button', { name: 'New lead' }).click();
    await dialog.getByLabel('Full name').fill('Dorothy Vaughan');
    await dialog.getByLabel('Phone').fill('+1555010');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await eventually(() => page.getByRole('link', { name: 'Dorothy Vaughan' }).count()).toBe(1);

    await page.getByRole('searchbox', { name: 'Search' }).fill('langley');
    // While the filtered page loads the table shows a skeleton: wait for the settled result.
    const visible = async () => [
      await page.getByRole('link', { name: 'Katherine Johnson' }).count(),
      await page.getByRole('link', { name: 'Dorothy Vaughan' }).count(),
    ];
    await eventually(visible).toEqual([1, 0]);
    expect(page.url()).toContain('search=langley');

    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'crm-leads');
    // The one 400 is the invalid form submitted on purpose above.
    expect(console.problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    await page.context().close();
  });

  it('assigns an owner, tags and a deal value, shows them on the lead and filters by owner', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { displayName: 'Mae Jemison' });
    await page.goto(`${server.baseUrl}/crm/leads`);
    await page.getByRole('button', { name: 'New lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'New lead' });
    await dialog.getByLabel('Full name').fill('Christine Darden');
    await dialog.getByLabel('Email').fill('christine.darden@example.com');
    // The owner list loads after the dialog opens.
    await eventually(() => dialog.getByRole('option', { name: 'Mae Jemison' }).count()).toBe(1);
    await dialog.getByLabel('Owner').selectOption({ label: 'Mae Jemison' });
    await dialog.getByLabel('Deal value').fill('2500');
    await dialog.getByLabel('Tags').fill('vip, q4, vip');
    await dialog.getByRole('button', { name: 'Create lead' }).click();
    await eventually(() => dialog.count()).toBe(0);

    await page.getByLabel('Owner').selectOption({ label: 'Mae Jemison' });
    await eventually(() => page.url()).toContain('owner_id=');
    await eventually(() => page.getByRole('row').count()).toBe(2); // header + Christine
    await page.getByRole('link', { name: 'Christine Darden' }).click();

    const details = page.getByRole('definition');
    await eventually(() => details.filter({ hasText: 'Mae Jemison' }).count()).toBe(1);
    expect(await details.filter({ hasText: /^\s*2,?500\s*$/ }).count()).toBe(1);
    expect(await details.filter({ hasText: 'vip' }).filter({ hasText: 'q4' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'crm-lead-owner');
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('moves a lead on the pipeline board by drag and drop and with the keyboard menu', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm/board`);
    const column = (status: string) => page.locator(`section[data-status="${status}"]`);
    const card = page.locator('li[draggable="true"]', { hasText: 'Katherine Johnson' });
    await eventually(() => column('new').locator(card).count()).toBe(1);

    await card.dragTo(column('qualified'));
    await eventually(() => column('qualified').locator(card).count()).toBe(1);
    await eventually(async () => {
      const response = await page.request.get(`${server.baseUrl}/api/v1/leads?search=katherine`);
      return ((await response.json()) as { results: { status: string }[] }).results[0]?.status;
    }).toBe('qualified');

    await page.getByLabel('Move Dorothy Vaughan to').selectOption('converted');
    await eventually(() =>
      column('converted').getByRole('link', { name: 'Dorothy Vaughan' }).count(),
    ).toBe(1);

    // Cards show their deal value and owner; each column sums its leads' values, and a move
    // carries the value along.
    const christine = page.locator('li[draggable="true"]', { hasText: 'Christine Darden' });
    await eventually(() => christine.textContent()).toMatch(/2,?500\s*Mae Jemison/);
    expect(await column('new').textContent()).toMatch(/2,?500 in deals/);
    expect(await column('qualified').textContent()).toContain('No deal values');
    await page.getByLabel('Move Christine Darden to').selectOption('qualified');
    await eventually(() => column('qualified').textContent()).toMatch(/2,?500 in deals/);
    expect(await column('new').textContent()).toContain('No deal values');

    // The lead page shows both moves on its timeline.
    await column('qualified').getByRole('link', { name: 'Katherine Johnson' }).click();
    await eventually(() => page.getByText('Status: new → qualified').count()).toBe(1);
    // Each entry names who made it (the signed-in staff member moved it).
    expect(
      await page.getByRole('listitem').filter({ hasText: 'Status: new → qualified' }).textContent(),
    ).toMatch(/ · \S/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'crm-lead-detail');
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('imports a CSV: preview with errors and duplicates, then a progress bar to done', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm/import`);
    const rows = ['name,email,company'];
    rows.push('Mary Jackson,mary@example.com,NASA');
    rows.push('X,bad@example.com,');
    rows.push('Katherine Again,katherine@example.com,');
    for (let i = 0; i < 40; i++) rows.push(`Engineer ${i},engineer${i}@example.com,JPL`);
    await page.getByLabel('CSV file').setInputFiles({
      name: 'contacts.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.getByRole('button', { name: 'Check file' }).click();
    await eventually(() => page.getByText('Row 2:').count()).toBe(1);
    expect(await page.getByText('Row 3: katherine@example.com').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'crm-import-preview');

    await page.getByRole('button', { name: 'Import 41 leads' }).click();
    await eventually(() => page.getByText('Imported 41 of 41').count(), { timeout: 15_000 }).toBe(
      1,
    );
    await screenshot(page, 'crm-import-done');
    await page.getByRole('link', { name: 'See the leads' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('mary');
    await eventually(() => page.getByRole('link', { name: 'Mary Jackson' }).count()).toBe(1);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('names a CSV file that is not UTF-8 instead of importing garbled names', async () => {
    const page = await openPage(browser);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm/import`);
    // Saved by a spreadsheet as Windows-1252: "é" is the single byte 0xE9.
    const latin1 = Buffer.concat([
      Buffer.from('name,email\nRen'),
      Buffer.from([0xe9]),
      Buffer.from(' Descartes,rene@example.com\n'),
    ]);
    await page
      .getByLabel('CSV file')
      .setInputFiles({ name: 'latin1.csv', mimeType: 'text/csv', buffer: latin1 });
    await page.getByRole('button', { name: 'Check file' }).click();
    await eventually(() => page.getByText(/The file is not UTF-8 text/).count()).toBe(1);
    expect(await page.getByText('2. Review latin1.csv').count()).toBe(0);
    await page.context().close();
  });

  it('shows the dashboard charts, accessibly, on a phone too', async () => {
    const page = await openPage(browser, { width: 390, height: 844 });
    const console = watchConsole(page);
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm`);
    await eventually(() => page.locator('canvas').count()).toBe(3);
    expect(await page.getByRole('img', { name: /Converted 1/ }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'crm-dashboard-mobile');
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('confirms a newsletter subscription from the mailed link and unsubscribes with one click', async () => {
    const key = await createApiKey(server, ['newsletter:write']);
    const subscribed = await server.app.inject({
      method: 'POST',
      url: '/api/v1/newsletter/subscribe',
      headers: { authorization: key },
      payload: { email: 'reader@example.com', full_name: 'Reader' },
    });
    expect(subscribed.statusCode).toBe(202);
    const { rows } = await server.database.pool.query(
      `SELECT text FROM mail_outbox WHERE "to" = 'reader@example.com'`,
    );
    const text = (rows[0] as { text: string }).text;
    const confirmPath = /\/newsletter\/confirm\?token=\S+/.exec(text)![0];
    const unsubscribePath = /\/newsletter\/unsubscribe\?token=\S+/.exec(text)![0];

    const page = await openPage(browser);
    const console = watchConsole(page);
    await page.goto(`${server.baseUrl}${confirmPath}`);
    await eventually(() => page.getByText('reader@example.com is now subscribed').count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.goto(`${server.baseUrl}${unsubscribePath}`);
    await page.getByRole('button', { name: 'Unsubscribe' }).click();
    await eventually(() => page.getByText('will receive no more newsletters').count()).toBe(1);
    await screenshot(page, 'newsletter-unsubscribed');

    // Staff see it in the subscriber list.
    await signInPage(page, server);
    await page.goto(`${server.baseUrl}/crm/newsletter`);
    await eventually(() => page.getByRole('cell', { name: 'reader@example.com' }).count()).toBe(1);
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });
});
