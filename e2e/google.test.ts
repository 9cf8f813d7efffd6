import type { OAuth2Server } from 'oauth2-mock-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../apps/server/test/global-setup.js';
import { startGoogleProvider } from '../apps/server/test/google-provider.js';
import {
  eventually,
  launchBrowser,
  openPage,
  screenshot,
  seriousA11yViolations,
  watchConsole,
} from './support/browser.js';
import { startServer, type RunningServer } from './support/server.js';

/** "Continue with Google" clicked in Chromium, against a real local OAuth2/OIDC provider. */
describe('Google sign-in in Chromium', () => {
  let provider: OAuth2Server;
  let server: RunningServer;
  let browser: Browser;
  let cancelNext = false;

  beforeAll(async () => {
    const google = await startGoogleProvider(() => ({
      sub: 'google-browser-1',
      email: 'katherine.g@example.test',
      email_verified: true,
      name: 'Katherine G',
    }));
    provider = google.provider;
    // The provider redirects at once; a "Cancel" on Google's page comes back as access_denied.
    provider.service.on('beforeAuthorizeRedirect', (authorizeRedirectUri) => {
      if (!cancelNext) return;
      const url = authorizeRedirectUri.url;
      url.searchParams.delete('code');
      url.searchParams.set('error', 'access_denied');
    });
    // The callback URL sent to the provider is PUBLIC_URL's, so the port is chosen first.
    const port = await freePort();
    [server, browser] = await Promise.all([
      startServer({
        port,
        env: { PUBLIC_URL: `http://127.0.0.1:${port}`, ...google.env },
      }),
      launchBrowser(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await provider?.stop();
  });

  it('signs a new visitor in with Google and lands on the profile with their name', async () => {
    const page = await openPage(browser);
    const console = watchConsole(page);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await eventually(() => new URL(page.url()).pathname).toBe('/profile');
    await eventually(() => page.getByText('katherine.g@example.test').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Display name').inputValue()).toBe('Katherine G');
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'google-signed-in');
    expect(console.problems).toEqual([]);
    await page.context().close();
  });

  it('comes back to the sign-in page with a clear message when the visitor cancels', async () => {
    cancelNext = true;
    const page = await openPage(browser);
    await page.goto(`${server.baseUrl}/login`);
    await page.getByRole('link', { name: 'Continue with Google' }).click();
    await eventually(() => page.getByText('Google sign-in was cancelled.').count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/login');
    await eventually(async () =>
      (await page.request.get(`${server.baseUrl}/api/v1/auth/state`)).json(),
    ).toMatchObject({ user: null });
    await screenshot(page, 'google-cancelled');
    await page.context().close();
    cancelNext = false;
  });
});
