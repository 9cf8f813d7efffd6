import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createApiKey } from '../../../test/auth.js';
import { createNewsletterToken } from './newsletter-tokens.js';
import { staffHeaders } from './test-support.js';

let t: TestApp;
let headers: Record<string, string>;

async function subscribe(email: string) {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/newsletter/subscribe',
    headers,
    payload: { email, full_name: 'Reader' },
  });
}
async function subscriber(email: string) {
  const { rows } = await t.database.pool.query(
    'SELECT id, status, token_version FROM newsletter_subscribers WHERE email = $1',
    [email],
  );
  return rows[0] as { id: string; status: string; token_version: number } | undefined;
}
function token(purpose: 'confirm' | 'unsubscribe', id: string, version: number, expires?: Date) {
  return createNewsletterToken(t.config.secretKey, purpose, Number(id), version, expires);
}
const inAnHour = () => new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  t = await createTestApp();
  headers = await staffHeaders(t);
});
afterAll(() => t.close());

describe('newsletter double opt-in', () => {
  it('keeps a new subscription pending until its confirmation link is used', async () => {
    const response = await subscribe('  Reader@Example.com ');
    expect(response.statusCode).toBe(202);
    expect(response.json().status).toBe('pending');
    const row = (await subscriber('reader@example.com'))!;
    expect(row.status).toBe('pending');

    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/newsletter/confirm',
      payload: { token: token('confirm', row.id, row.token_version, inAnHour()) },
    });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.json()).toEqual({ status: 'confirmed', email: 'reader@example.com' });
    expect((await subscriber('reader@example.com'))!.status).toBe('confirmed');
    expect((await subscribe('reader@example.com')).json().status).toBe('confirmed');
  });

  it('mails a confirmation link and a one-click unsubscribe link that both work', async () => {
    await subscribe('mailed@example.com');
    const { rows } = await t.database.pool.query(
      `SELECT text, headers FROM mail_outbox WHERE "to" = 'mailed@example.com'`,
    );
    expect(rows).toHaveLength(1);
    const mail = rows[0] as { text: string; headers: Record<string, string> };
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const oneClick = /^<(.+)>$/.exec(mail.headers['List-Unsubscribe']!)![1]!;
    const confirmToken = /\/newsletter\/confirm\?token=(\S+)/.exec(mail.text)![1]!;
    expect(mail.text).toMatch(/Unsubscribe: http\S+\/newsletter\/unsubscribe\?token=/);

    const confirm = await t.app.inject({
      method: 'POST',
      url: '/api/v1/newsletter/confirm',
      payload: { token: confirmToken },
    });
    expect(confirm.json().status).toBe('confirmed');
    const unsubscribed = await t.app.inject({
      method: 'POST',
      url: new URL(oneClick).pathname + new URL(oneClick).search,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(unsubscribed.json()).toEqual({ status: 'unsubscribed', email: 'mailed@example.com' });
  });

  it('refuses expired, forged and superseded confirmation links', async () => {
    await subscribe('late@example.com');
    const row = (await subscriber('late@example.com'))!;
    const confirmWith = (value: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/newsletter/confirm',
        payload: { token: value },
      });

    const expired = await confirmWith(token('confirm', row.id, row.token_version, new Date(1000)));
    expect(expired.statusCode).toBe(400);
    expect(expired.json().error.details[0].code).toBe('expired');

    const good = token('confirm', row.id, row.token_version, inAnHour());
    const forged = `${good.slice(0, -2)}xx`;
    expect((await confirmWith(forged)).statusCode).toBe(400);
    // An unsubscribe token is not a confirmation token.
    expect((await confirmWith(token('unsubscribe', row.id, row.token_version))).statusCode).toBe(
      400,
    );

    await subscribe('late@example.com'); // asks again: only the newest link works
    expect((await confirmWith(good)).statusCode).toBe(400);
    const newest = (await subscriber('late@example.com'))!;
    expect(newest.token_version).toBe(row.token_version + 1);
    expect(
      (await confirmWith(token('confirm', newest.id, newest.token_version, inAnHour()))).statusCode,
    ).toBe(200);
  });

  it('refuses disposable and invalid addresses', async () => {
    expect((await subscribe('x@mailinator.com')).statusCode).toBe(400);
    expect((await subscribe('not-an-email')).statusCode).toBe(400);
  });

  it('unsubscribes with one click (RFC 8058 form POST) and allows resubscribing', async () => {
    await subscribe('leaver@example.com');
    const row = (await subscriber('leaver@example.com'))!;
    const unsubscribeToken = token('unsubscribe', row.id, row.token_version);
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/newsletter/unsubscribe?token=${unsubscribeToken}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'unsubscribed', email: 'leaver@example.com' });
    // Idempotent: the same link again is fine.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/newsletter/unsubscribe',
      payload: { token: unsubscribeToken },
    });
    expect(again.statusCode).toBe(200);

    expect((await subscribe('leaver@example.com')).json().status).toBe('pending');
    expect((await subscriber('leaver@example.com'))!.status).toBe('pending');
  });

  it('purges unconfirmed subscriptions after the link lifetime', async () => {
    const { purgeExpiredSubscriptions } = await import('./newsletter-service.js');
    await subscribe('ghost@example.com');
    await t.database.pool.query(
      `UPDATE newsletter_subscribers SET confirmation_sent_at = now() - interval '100 hours'
       WHERE email = 'ghost@example.com'`,
    );
    expect(await purgeExpiredSubscriptions(t.database.db, 72)).toBe(1);
    expect(await subscriber('ghost@example.com')).toBeUndefined();
  });
});

describe('newsletter from the website', () => {
  it('accepts subscriptions with a newsletter:write API key only', async () => {
    const site = await createApiKey(t, ['newsletter:write']);
    const leadsOnly = await createApiKey(t, ['leads:write']);
    const post = (authorization: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/newsletter/subscribe',
        headers: { authorization },
        payload: { email: 'website@example.com' },
      });
    expect((await post(leadsOnly)).statusCode).toBe(403);
    expect((await post(site)).statusCode).toBe(202);
    expect((await subscriber('website@example.com'))!.status).toBe('pending');
  });
});

describe('newsletter staff views', () => {
  it('lists subscribers by status and exports them as CSV', async () => {
    const confirmed = (
      await t.app.inject({ url: '/api/v1/newsletter/subscribers?status=confirmed', headers })
    ).json();
    expect(confirmed.results.map((s: { email: string }) => s.email)).toContain(
      'reader@example.com',
    );
    expect(confirmed.results.every((s: { status: string }) => s.status === 'confirmed')).toBe(true);
    const search = (
      await t.app.inject({ url: '/api/v1/newsletter/subscribers?search=leaver', headers })
    ).json();
    expect(search.count).toBe(1);
    const csv = await t.app.inject({ url: '/api/v1/newsletter/subscribers/export', headers });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\n')[0]).toBe(
      'email,full_name,source,status,confirmed_at,unsubscribed_at,created_at',
    );
  });
});
