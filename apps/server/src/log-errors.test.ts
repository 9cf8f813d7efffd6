import { createServer, connect, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/app.js';
import { MAX_LINE_BYTES } from './log-destination.js';
import { loggerOptions } from './logger.js';

/** A logger with the production options, writing raw lines into an array. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const options = loggerOptions({ logLevel: 'info', logFormat: 'json', version: 'test' });
  return { lines, logger: pino(options, sink) };
}

describe('errors in log lines', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: Server;
  let socket: Socket;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
  });
  afterAll(async () => {
    socket?.destroy();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  it('logs a pg error that lost its connection without the client it holds', async () => {
    // What PostgreSQL stopping does to an idle pooled connection: pg-pool emits the error with
    // `err.client` attached (pool, socket, type parsers, connection parameters).
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    client.release();
    const idleError = new Promise<Error>((resolve) => pool.once('error', resolve));
    await database.pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    const err = await idleError;
    expect(err).toHaveProperty('client');

    const { lines, logger } = capture();
    logger.error({ err }, 'pg-boss error');
    await pool.end();
    const line = lines[0]!;
    const logged = (JSON.parse(line) as { err: Record<string, unknown> }).err;
    expect(logged).toMatchObject({
      type: 'DatabaseError',
      code: '57P01',
      message: 'terminating connection due to administrator command',
      severity: 'FATAL',
    });
    expect(Object.keys(logged).sort()).toEqual(
      ['code', 'message', 'routine', 'severity', 'stack', 'type'].sort(),
    );
    expect(line).not.toContain('password');
    expect(line).not.toContain(database.url.split('/').at(-1));
    expect(Buffer.byteLength(line)).toBeLessThan(1500);
  });

  it('logs an error that holds a socket as type, message, code and stack only', () => {
    const err = Object.assign(new Error('upstream closed early'), {
      code: 'E_UPSTREAM',
      socket,
      request: { socket, headers: { authorization: 'Bearer live-secret' } },
    });
    const { lines, logger } = capture();
    logger.error({ err }, 'proxy failed');
    const logged = (JSON.parse(lines[0]!) as { err: Record<string, unknown> }).err;
    expect(Object.keys(logged).sort()).toEqual(['code', 'message', 'stack', 'type']);
    expect(logged).toMatchObject({ type: 'Error', code: 'E_UPSTREAM' });
    expect(lines[0]).not.toContain('live-secret');
    expect(Buffer.byteLength(lines[0]!)).toBeLessThan(1500);
  });

  it('follows a cause chain, a few levels deep, and the errors of an AggregateError', () => {
    let err: Error = new Error('level 0');
    for (let level = 1; level <= 10; level++) err = new Error(`level ${level}`, { cause: err });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), {
      code: 'ECONNREFUSED',
      syscall: 'connect',
      address: '127.0.0.1',
      port: 5432,
    });
    const { lines, logger } = capture();
    logger.error({ err }, 'deep');
    logger.error({ err: new AggregateError([refused, refused], 'all addresses failed') }, 'agg');
    let depth = 0;
    for (let node = JSON.parse(lines[0]!).err; node; node = node.cause) depth++;
    expect(depth).toBe(4);
    const aggregate = JSON.parse(lines[1]!).err;
    expect(aggregate.errors).toHaveLength(2);
    expect(aggregate.errors[0]).toMatchObject({
      code: 'ECONNREFUSED',
      port: 5432,
      syscall: 'connect',
    });
  });
});

describe('line size', () => {
  it('cuts a line over the cap, keeping it valid JSON with its message and request id', () => {
    const { lines, logger } = capture();
    logger.info(
      { requestId: 'req-1', blob: 'x'.repeat(100_000), list: Array(500).fill('item') },
      'big',
    );
    const line = lines[0]!;
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(MAX_LINE_BYTES);
    expect(line.endsWith('\n')).toBe(true);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(entry).toMatchObject({
      msg: 'big',
      requestId: 'req-1',
      truncated: { bytes: expect.any(Number) },
    });
    expect((entry.truncated as { bytes: number }).bytes).toBeGreaterThan(100_000);
  });

  it('leaves ordinary lines as they are', () => {
    const { lines, logger } = capture();
    logger.info({ requestId: 'req-2', statusCode: 200, text: 'é'.repeat(6000) }, 'ok');
    expect(JSON.parse(lines[0]!)).toMatchObject({ text: 'é'.repeat(6000) });
    expect(lines[0]).not.toContain('truncated');
  });
});
