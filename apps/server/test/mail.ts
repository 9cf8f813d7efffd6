import type { TestApp } from './app.js';

/** The newest mail to `to` in the outbox (mail_outbox), or undefined. */
export async function lastMailTo(testApp: Pick<TestApp, 'database'>, to: string) {
  const { rows } = await testApp.database.pool.query<{ subject: string; text: string }>(
    'select subject, text from mail_outbox where "to" = $1 order by created_at desc limit 1',
    [to.toLowerCase()],
  );
  return rows[0];
}

/** The `token` query parameter of the first link in the newest mail to `to`. */
export async function tokenFromLastMail(testApp: Pick<TestApp, 'database'>, to: string) {
  const mail = await lastMailTo(testApp, to);
  const match = mail?.text.match(/[?&]token=([^\s&]+)/);
  if (!match) throw new Error(`no link with a token in the last mail to ${to}`);
  return decodeURIComponent(match[1]!);
}
