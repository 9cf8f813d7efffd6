import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/app.js';
import { lastMailTo, waitForMailTo } from '../../../test/mail.js';
import { createJobsHarness, type JobsHarness } from '../jobs/test-support/harness.js';

// ORGANIZATION_NAME is who runs this Bastion: the web app reads it from the auth state (titles,
// wording), and every mail carries it as sender name and signature.
describe('ORGANIZATION_NAME', () => {
  let h: JobsHarness;
  let smtp: SMTPServer;
  const received: string[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        let message = '';
        stream.on('data', (chunk: Buffer) => (message += chunk.toString()));
        stream.on('end', () => {
          received.push(message);
          callback();
        });
      },
    });
    smtp.listen(0, '127.0.0.1');
    await once(smtp.server, 'listening');
    const { port } = smtp.server.address() as AddressInfo;
    h = await createJobsHarness({
      ORGANIZATION_NAME: 'Exit Three',
      MAIL_FROM: 'hello@exit-three.example',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    await h.runtime('worker');
  });
  afterAll(async () => {
    await h?.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('is part of the public auth state', async () => {
    const state = await h.app.inject({ url: '/api/v1/auth/state' });
    expect(state.statusCode).toBe(200);
    expect(state.json().organizationName).toBe('Exit Three');
  });

  it('names the sender of every mail and signs it', async () => {
    const signup = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { email: 'new.reader@example.com', password: 'a long and unusual passphrase 42' },
    });
    expect(signup.statusCode).toBe(202);
    const stored = await waitForMailTo(h, 'new.reader@example.com');
    expect(stored?.text).toMatch(/\n\n-- \nExit Three$/);
    expect(stored?.text).not.toContain('Bastion');

    await expect
      .poll(() => received.find((message) => message.includes('new.reader@example.com')), {
        timeout: 15_000,
      })
      .toBeDefined();
    const message = received.find((m) => m.includes('new.reader@example.com'))!;
    // Nodemailer drops the quotes a name without special characters does not need.
    expect(message).toMatch(/^From: "?Exit Three"? <hello@exit-three\.example>\r?$/m);
  });

  it('signs the newsletter mails above their unsubscribe link', async () => {
    const subscribe = await h.inject({
      method: 'POST',
      url: '/api/v1/newsletter/subscribe',
      payload: { email: 'reader@example.com' },
    });
    expect(subscribe.statusCode).toBe(202);
    const stored = await lastMailTo(h, 'reader@example.com');
    expect(stored?.text).toMatch(/\n\n-- \nExit Three\nUnsubscribe: http\S+$/);
  });

  it('is null in the auth state when unset, and mail is signed "Bastion"', async () => {
    const plain = await createTestApp();
    try {
      const state = await plain.app.inject({ url: '/api/v1/auth/state' });
      expect(state.json().organizationName).toBeNull();
      expect(plain.config.mailFrom).toBe('"Bastion" <no-reply@localhost>');
    } finally {
      await plain.close();
    }
  });
});
