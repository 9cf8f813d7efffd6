import type { UserRole } from '@bastion/contract';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { createUser, loginAs, type TestUser } from '../../apps/server/test/auth.js';
import { eventually, openPage, watchConsole } from './browser.js';
import type { RunningServer } from './server.js';

/**
 * Signs a browser page in as a new user with `role` (default `staff`), by planting the session
 * and CSRF cookies a real login would set. For tests of pages behind sign-in; the login flow
 * itself is covered by e2e/accounts.test.ts.
 */
export async function signInPage(
  page: Page,
  server: RunningServer,
  options: { role?: UserRole; email?: string; displayName?: string } = {},
): Promise<TestUser> {
  const user = await createUser(server, { role: 'staff', ...options });
  const { cookie } = await loginAs(server, user);
  const url = server.baseUrl;
  await page.context().addCookies(
    cookie.split('; ').map((pair) => {
      const [name, ...value] = pair.split('=');
      return { name: name!, value: value.join('='), url, sameSite: 'Lax' as const };
    }),
  );
  return user;
}

/**
 * A plain user who types the addresses of a staff area: each sends them home, the menu has no
 * entry for it, and the page asks the area's API nothing (no 403 to show, no console error).
 */
export async function expectPlainUserSentHome(
  browser: Browser,
  server: RunningServer,
  area: { paths: readonly string[]; api: string; menu: string },
): Promise<void> {
  const page = await openPage(browser);
  const console = watchConsole(page);
  const asked: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes(area.api)) asked.push(request.url());
  });
  await signInPage(page, server, { role: 'user' });
  for (const path of area.paths) {
    await page.goto(`${server.baseUrl}${path}`);
    await eventually(() => new URL(page.url()).pathname).toBe('/');
  }
  expect(await page.getByRole('link', { name: area.menu }).count()).toBe(0);
  expect(asked).toEqual([]);
  expect(console.problems).toEqual([]);
  await page.context().close();
}
