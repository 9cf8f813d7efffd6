import type { UserRole } from '@bastion/contract';
import type { Page } from 'playwright-core';
import { createUser, loginAs, type TestUser } from '../../apps/server/test/auth.js';
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
