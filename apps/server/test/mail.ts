import { setTimeout as delay } from 'node:timers/promises';
import type { TestApp } from './app.js';

/** The newest mail to `to` in the outbox (mail_outbox), or undefined. */
export async function lastMailTo(testApp: Pick<TestApp, 'database'>, to: string) {
  const { rows } = await testApp.database.pool.query<{ subject: string; text: string }>(
    'select subject, text from mail_outbox where "to" = $1 order by created_at desc limit 1',
    [to.toLowerCase()],
  );
  return rows[0];
}

/**
 * The newest mail to `to` (with `subject`, if given), waiting for it up to `timeoutMs`: the
 * account mails are written by a job (test/worker.ts), a moment after the request answered.
 */
export async function waitForMailTo(
  testApp: Pick<TestApp, 'database'>,
  to: string,
  options: { subject?: string; timeoutMs?: number } = {},
) {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const { rows } = await testApp.database.pool.query<{ subject: string; text: string }>(
      `select subject, text from mail_outbox where "to" = $1 and ($2::text is null or subject = $2)
       order by created_at desc limit 1`,
      [to.toLowerCase(), options.subject ?? null],
    );
    if (rows[0]) return rows[0];
    if (Date.now() > deadline) {
      throw new Error(`no mail to ${to}${options.subject ? ` "${options.subject}"` : ''} arrived`);
    }
    await delay(50);
  }
}

/**
 * The `param` query parameter (default `token`) of the first link in the newest mail to `to`
 * (with `subject`, if given), waiting for that mail like waitForMailTo.
 */
export async function tokenFromLastMail(
  testApp: Pick<TestApp, 'database'>,
  to: string,
  options: { subject?: string; param?: string; timeoutMs?: number } = {},
) {
  const mail = await waitForMailTo(testApp, to, options);
  const match = mail.text.match(new RegExp(`[?&]${options.param ?? 'token'}=([^\\s&]+)`));
  if (!match) throw new Error(`no link with a token in the last mail to ${to}`);
  return decodeURIComponent(match[1]!);
}
