import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../apps/server/test/auth.js';
import { tokenFromLastMail, waitForMailTo } from '../apps/server/test/mail.js';
import type { JobsRuntime } from '../apps/server/src/modules/jobs/runtime.js';
import { ACCOUNT } from '../apps/server/src/modules/accounts/login-throttle.js';
import { firstStartSetupLink } from '../apps/server/src/modules/accounts/setup.js';
import { signInPage } from './support/auth.js';
import {
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, startWorker, type RunningServer } from './support/server.js';

const PASSWORD = 'a long and calm passphrase';

describe('accounts in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let worker: JobsRuntime;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    // Signup and forgot-password mails are sent by jobs.
    worker = await startWorker(server);
  });
  afterAll(async () => {
    await browser?.close();
    await worker?.stop(1000);
    await server?.close();
  });

  async function expectAccessible(page: Page) {
    expect(await seriousA11yViolations(page)).toEqual([]);
  }

  // Runs first: the database has no user yet, as at a first start.
  it('lets the first visitor create the admin through the one-time setup link', async () => {
    const link = new URL((await firstStartSetupLink(server.app))!);
    const page = await openPage(browser);
    const console = watchConsole(page);
    await page.goto(`${server.baseUrl}/setup${link.search}`);
    await page.getByLabel('Admin email').fill('root@example.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Create admin account' }).click();
    await page.waitForURL('**/profile');
    await expect.poll(() => page.getByText('root@example.test').count()).toBeGreaterThan(0);
    expect(await page.getByText('admin', { exact: true }).count()).toBe(1);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('signs up, confirms the email from the outbox, signs in, edits the profile, signs out', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    const email = 'e2e.person@example.test';

    await page.goto(`${server.baseUrl}/signup`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Display name').fill('E2E Person');
    await page.getByLabel('Password').fill(PASSWORD);
    await expectAccessible(page);
    await screenshot(page, 'accounts-signup');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Check your inbox');

    // The link from the captured mail (the outbox), opened in the browser.
    const token = await tokenFromLastMail(server, email);
    await page.goto(`${server.baseUrl}/verify-email?token=${encodeURIComponent(token)}`);
    await expect
      .poll(() => page.getByRole('status').first().textContent())
      .toContain('Your email address is confirmed');
    await page.getByRole('link', { name: 'Sign in' }).last().click();

    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await expectAccessible(page);
    await screenshot(page, 'accounts-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/profile');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Your account');

    await page.getByLabel('Display name').fill('Renamed Person');
    await page.getByLabel('Bio').fill('Writes tests.');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await expect.poll(() => page.getByText('Profile saved').count()).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.getByLabel('Display name').inputValue()).toBe('Renamed Person');
    expect(await page.getByLabel('Bio').inputValue()).toBe('Writes tests.');
    await expect.poll(() => page.getByText('This browser').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'accounts-profile');

    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.waitForURL('**/login');
    // Signed out for real: the profile now redirects to the login page.
    await page.goto(`${server.baseUrl}/profile`);
    await page.waitForURL((url) => url.pathname === '/login' && url.search.includes('next='));

    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('shows the error of a wrong password next to the form', async () => {
    const user = await createUser(server, {});
    const page = await openPage(browser, { width: 390, height: 844 });
    const console = watchConsole(page);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill('definitely not it');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Email or password is incorrect.');
    expect(page.url()).toContain('/login');
    await expectAccessible(page);
    await screenshot(page, 'accounts-login-error-mobile');
    // The only console line is Chromium reporting the 401 itself; no CSP or script errors.
    expect(console.problems.filter((line) => !/status of 401/.test(line))).toEqual([]);
    await page.context().close();
  });

  it('tells a throttled sign-in how long to wait, and lets the owner in through the mailed link', async () => {
    const owner = await createUser(server, {});
    // A guesser spread over many networks slows the account down for everyone.
    for (let i = 0; i < ACCOUNT.free; i++) {
      await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: owner.email, password: `guess number ${i}` },
        remoteAddress: `192.0.2.${i + 1}`,
      });
    }
    const page = await openPage(browser, { width: 390, height: 844 });
    const console = watchConsole(page);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toMatch(/Too many failed sign-in attempts for this account\. Try again in \d+ seconds?/);
    await expectAccessible(page);
    await screenshot(page, 'accounts-login-throttled-mobile');

    const token = await tokenFromLastMail(server, owner.email, {
      subject: 'Sign-in to your account is being slowed down',
      param: 'unlock',
    });
    await page.goto(`${server.baseUrl}/login?unlock=${encodeURIComponent(token)}`);
    await expect
      .poll(() => page.getByText('This link lets you sign in once without waiting').count())
      .toBe(1);
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL('**/profile');
    // Chromium reports the 429 itself; nothing else.
    expect(console.problems.filter((line) => !/status of 429/.test(line))).toEqual([]);
    await page.context().close();
  });

  it('shows admins the mail outbox, with each message readable', async () => {
    const user = await createUser(server, {});
    await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password/forgot',
      payload: { email: user.email },
    });
    await waitForMailTo(server, user.email);
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'admin' });
    await page.goto(`${server.baseUrl}/admin/mail-outbox`);
    const row = page.getByRole('row', { name: new RegExp(user.email) });
    await expect.poll(() => row.count()).toBe(1);
    await row.getByRole('link').first().click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toContain('Reset your password');
    await expect.poll(() => page.locator('main').textContent()).toContain('/reset-password?token=');
    await expectAccessible(page);
    await screenshot(page, 'accounts-mail-outbox');
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('creates an API token that is shown once', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await signInPage(page, server, { role: 'staff' });
    await page.goto(`${server.baseUrl}/profile`);
    await page.getByLabel('Token name').fill('ci pipeline');
    await page.getByRole('checkbox', { name: 'leads:read' }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect.poll(() => page.getByTestId('new-token').textContent()).toMatch(/^bst_/);
    await expectAccessible(page);
    await screenshot(page, 'accounts-token-created');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByRole('row', { name: /ci pipeline/ }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('new-token').count()).toBe(0);
    expect(console.problems).toEqual([]);
    await page.context().close();
  });
});
