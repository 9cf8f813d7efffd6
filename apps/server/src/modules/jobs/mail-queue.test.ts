import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendMail } from '../mail/service.js';
import { createJobsHarness, type JobsHarness } from './test-support/harness.js';

describe('mail on the mail queue', () => {
  let h: JobsHarness;
  let smtp: SMTPServer;
  const received: string[] = [];
  let refuse = true;

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let message = '';
        stream.on('data', (chunk: Buffer) => (message += chunk.toString()));
        stream.on('end', () => {
          if (refuse) return callback(new Error('451 try again later'));
          received.push(message);
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    h = await createJobsHarness({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    await h.runtime('worker');
  });
  afterAll(async () => {
    await h.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  const outbox = async (id: string) =>
    (
      await h.database.db.execute<{ status: string; error: string | null }>(
        sql`SELECT status, error FROM mail_outbox WHERE id = ${id}`,
      )
    ).rows[0];
  const mailJob = async (id: string) =>
    (
      await h.database.db.execute<{ state: string }>(
        sql`SELECT state::text AS state FROM pgboss.job WHERE name = 'mail' AND data->'payload'->>'id' = ${id}`,
      )
    ).rows[0]?.state;

  it('writes the outbox row and the job in the caller transaction; a rollback sends nothing', async () => {
    let id = '';
    await expect(
      h.database.db.transaction(async (tx) => {
        id = await sendMail(
          { db: tx, config: h.config },
          { to: 'a@example.com', subject: 'Hi', text: 'x' },
        );
        throw new Error('signup failed');
      }),
    ).rejects.toThrow('signup failed');
    expect(await outbox(id)).toBeUndefined();
    expect(await mailJob(id)).toBeUndefined();
  });

  it('retries a delivery the SMTP server refuses, then sends it', async () => {
    const id = await sendMail(
      { db: h.database.db, config: h.config },
      { to: 'b@example.com', subject: 'Welcome aboard', text: 'Hello' },
    );
    await expect.poll(() => outbox(id), { timeout: 10_000 }).toMatchObject({ status: 'failed' });
    expect((await outbox(id))!.error).toMatch(/try again later/);
    await expect.poll(() => mailJob(id), { timeout: 5_000 }).toBe('retry');
    refuse = false;
    // The first retry comes 10–20 s later (backoff); make it due now instead of waiting.
    await h.database.db.execute(
      sql`UPDATE pgboss.job SET start_after = now() WHERE name = 'mail' AND data->'payload'->>'id' = ${id}`,
    );
    await expect
      .poll(() => outbox(id), { timeout: 15_000 })
      .toMatchObject({ status: 'sent', error: null });
    // The row says "sent" inside the job; pg-boss marks the job completed just after.
    await expect.poll(() => mailJob(id)).toBe('completed');
    expect(received.some((message) => message.includes('Subject: Welcome aboard'))).toBe(true);
  });
});
