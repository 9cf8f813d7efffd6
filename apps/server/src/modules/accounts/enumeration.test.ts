import type { Response as InjectResponse } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser } from '../../../test/auth.js';
import { lastMailTo, waitForMailTo } from '../../../test/mail.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';
import { insertUser } from './users.js';

// Signup, forgot-password and resend-verification must not tell an anonymous caller whether an
// account exists: not by status, headers or body, and not by time. Time is measured by
// `npm run bench:auth-timing` (medians of many samples); this file checks the cause of a time
// difference instead: the request itself does the same work for both, and only the queued job
// (run here by a real worker) touches the account and sends mail.

/** What a caller sees, minus what differs on every answer anyway. */
function visible(response: InjectResponse) {
  const headers = { ...response.headers };
  for (const name of ['x-request-id', 'date', 'content-length', 'x-ratelimit-remaining']) {
    delete headers[name];
  }
  const body = response.json() as { error?: { requestId?: string } };
  if (body.error) body.error.requestId = '';
  return { status: response.statusCode, headers, body };
}

describe('no account enumeration through signup, forgot-password and resend-verification', () => {
  let t: TestApp;
  let worker: JobsRuntime | undefined;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await worker?.stop(1000);
    await t.close();
  });

  const post = (url: string, payload: Record<string, string>) =>
    t.app.inject({ method: 'POST', url, payload });
  const queued = async () =>
    (
      await t.database.pool.query<{ job: string; payload: Record<string, unknown> }>(
        `select data->>'job' as job, data->'payload' as payload from pgboss.job
         where name = 'mail' order by created_on`,
      )
    ).rows;

  it('answers alike, writes no mail in the request, and mails only the real account', async () => {
    const verified = await createUser(t, {});
    const unverified = await insertUser(t.app.db, {
      email: 'unconfirmed@example.test',
      password: 'an unconfirmed passphrase',
    });
    const password = 'a perfectly fine passphrase';
    const nobody = 'nobody@example.test';
    const cases: [string, Record<string, string>, Record<string, string>][] = [
      [
        '/api/v1/auth/signup',
        { email: verified.email, password },
        { email: 'brand.new@example.test', password },
      ],
      ['/api/v1/auth/password/forgot', { email: verified.email }, { email: nobody }],
      ['/api/v1/auth/verify-email/resend', { email: unverified.email }, { email: nobody }],
    ];
    for (const [url, known, unknown] of cases) {
      const a = await post(url, known);
      const b = await post(url, unknown);
      expect(a.statusCode).toBe(202);
      expect(visible(a)).toEqual(visible(b));
    }

    // Nothing was mailed or issued while the requests ran: one queued job per request instead,
    // of the same type for a known and an unknown address.
    const outbox = await t.database.pool.query('select count(*)::int as n from mail_outbox');
    expect(outbox.rows[0].n).toBe(0);
    const tokens = await t.database.pool.query('select count(*)::int as n from account_tokens');
    expect(tokens.rows[0].n).toBe(0);
    const jobs = await queued();
    expect(jobs.map((job) => job.job)).toEqual([
      'accounts.signup-mail',
      'accounts.signup-mail',
      'accounts.password-reset-mail',
      'accounts.password-reset-mail',
      'accounts.verification-mail',
      'accounts.verification-mail',
    ]);
    // No address (personal data) in the job payloads the staff dashboard shows.
    expect(JSON.stringify(jobs)).not.toContain('@example.test');

    worker = await startTestWorker(t);
    expect(
      (await waitForMailTo(t, verified.email, { subject: 'Reset your password' })).text,
    ).toMatch(/\/reset-password\?token=/);
    expect(
      (
        await waitForMailTo(t, verified.email, {
          subject: 'Someone tried to sign up with your address',
        })
      ).text,
    ).toContain('/forgot-password');
    expect(
      (await waitForMailTo(t, unverified.email, { subject: 'Confirm your email address' })).text,
    ).toMatch(/\/verify-email\?token=/);
    expect(
      (await waitForMailTo(t, 'brand.new@example.test', { subject: 'Confirm your email address' }))
        .text,
    ).toMatch(/\/verify-email\?token=/);
    // Every job has run; the unknown address got nothing.
    await expect
      .poll(
        async () =>
          (
            await t.database.pool.query(
              `select count(*)::int as n from pgboss.job where name = 'mail' and state <> 'completed'`,
            )
          ).rows[0].n,
      )
      .toBe(0);
    expect(await lastMailTo(t, nobody)).toBeUndefined();
    const audit = await t.database.pool.query<{ action: string; ip: string | null }>(
      `select action, ip from audit_events where action in ('user.signup', 'user.password_reset_requested') order by action`,
    );
    expect(audit.rows).toEqual([
      { action: 'user.password_reset_requested', ip: '127.0.0.1' },
      { action: 'user.signup', ip: '127.0.0.1' },
    ]);
  });
});
