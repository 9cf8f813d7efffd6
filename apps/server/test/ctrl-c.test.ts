import { once } from 'node:events';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { isAlive, startEmbeddedPostgres } from '../src/db/embedded.js';
import { freePort } from './global-setup.js';
import {
  errorLines,
  exited,
  postmasterOf,
  startServer,
  waitForHealth,
  type ServerProcess,
} from './server-process.js';

/** An SMTP server that holds every message until `release()`: a mail job that is still running. */
async function holdingSmtpServer() {
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let receiving = false;
  const received: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, callback) {
      receiving = true;
      let message = '';
      stream.on('data', (chunk: Buffer) => (message += chunk.toString()));
      stream.on('end', () => {
        void released.then(() => {
          received.push(message);
          callback();
        });
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  return {
    url: `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
    receiving: () => receiving,
    received,
    release,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A POST whose body arrives in two parts, the second when `finish()` is called. */
function slowPost(port: number, path: string, body: string) {
  const req = request({
    host: '127.0.0.1',
    port,
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
  });
  const answer = new Promise<{ status: number; body: string }>((resolve, reject) => {
    req.on('response', (response: IncomingMessage) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
  });
  answer.catch(() => undefined); // awaited later; a hang-up must fail the test, not the run
  const half = Math.floor(body.length / 2);
  req.write(body.slice(0, half));
  return {
    answer: () => answer,
    finish: () => req.end(body.slice(half)),
  };
}

describe('Ctrl-C in a terminal', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'bastion-ctrl-c-'));
  // As root, postgres runs as the `postgres` user, which must be able to reach its data dir.
  chmodSync(dataDir, 0o755);
  const clusterDir = join(dataDir, 'postgres');
  let server: ServerProcess | undefined;
  afterAll(() => {
    if (server?.exitCode === null) process.kill(-server.pid!, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reaches npm, node and nothing else: requests are answered, jobs finish, postgres stops last', async () => {
    const smtp = await holdingSmtpServer();
    const [port, pgPort] = [await freePort(), await freePort()];
    server = startServer(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        EMBEDDED_POSTGRES_PORT: String(pgPort),
        SMTP_URL: smtp.url,
      },
      { viaNpm: true },
    );
    onTestFailed(() => console.log(server?.output()));
    await waitForHealth(port, server);
    const postgres = postmasterOf(clusterDir)!;

    // A job running: the verification mail of a signup, held by the SMTP server.
    const signup = await fetch(`http://127.0.0.1:${port}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ctrl-c@example.com', password: 'a long passphrase 4 ctrl-c' }),
    });
    expect(signup.status).toBe(202);
    await expect.poll(smtp.receiving, { timeout: 15_000 }).toBe(true);
    // A request in flight: its body is still arriving.
    const login = slowPost(
      port,
      '/api/v1/auth/login',
      JSON.stringify({ email: 'nobody@example.com', password: 'not the password at all' }),
    );
    await delay(300);

    // Ctrl-C: the terminal signals the whole foreground process group.
    process.kill(-server.pid!, 'SIGINT');
    await delay(1000);
    login.finish();
    smtp.release();

    expect((await login.answer()).status).toBe(401);
    expect(await exited(server)).toBe(0);
    expect(errorLines(server.output())).toEqual([]);
    expect(server.output()).toContain('"msg":"stopped"');
    expect(smtp.received).toHaveLength(1);
    expect(isAlive(postgres.pid)).toBe(false);
    expect(existsSync(join(clusterDir, 'postmaster.pid'))).toBe(false);
    await smtp.close();

    // The job's end was recorded before postgres stopped: the mail is sent, the job completed.
    const again = await startEmbeddedPostgres({ dataDir: clusterDir, port: pgPort });
    const client = new pg.Client(again.url.replace(/\/postgres$/, '/bastion'));
    await client.connect();
    const { rows } = await client.query<{ status: string; state: string }>(
      `SELECT m.status, j.state::text AS state FROM mail_outbox m
         JOIN pgboss.job j ON j.data->'payload'->>'id' = m.id::text
        WHERE m."to" = 'ctrl-c@example.com'`,
    );
    await client.end();
    await again.stop();
    expect(rows).toEqual([{ status: 'sent', state: 'completed' }]);
  }, 120_000);
});
