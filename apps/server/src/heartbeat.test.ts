import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../test/app.js';
import { startHeartbeat } from './heartbeat.js';

const dir = mkdtempSync(join(tmpdir(), 'bastion-heartbeat-'));
const file = join(dir, 'heartbeat');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the image's health check script for a role; resolves to its exit code. */
async function healthcheck(role: string): Promise<number> {
  const script = resolve(import.meta.dirname, 'healthcheck.ts');
  try {
    await promisify(execFile)(process.execPath, ['--import', 'tsx', script, role], {
      env: { ...process.env, BASTION_HEARTBEAT_FILE: file, PORT: '9' },
    });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('worker/scheduler heartbeat and the health check', () => {
  it('is healthy while the heartbeat is fresh, unhealthy when stale or missing', async () => {
    expect(await healthcheck('worker')).toBe(1);
    const database = await createTestDatabase();
    process.env.BASTION_HEARTBEAT_FILE = file;
    const stop = startHeartbeat(database.pool, pino({ level: 'silent' }));
    try {
      await expect
        .poll(() => statSync(file, { throwIfNoEntry: false })?.size ?? 0)
        .toBeGreaterThan(0);
      expect(await healthcheck('worker')).toBe(0);
      expect(await healthcheck('scheduler')).toBe(0);
      // A minute old: a stuck or disconnected process.
      const old = new Date(Date.now() - 60_000);
      utimesSync(file, old, old);
      expect(await healthcheck('worker')).toBe(1);
      // The web role asks /api/health; nothing listens on port 9.
      expect(await healthcheck('web')).toBe(1);
    } finally {
      stop();
      delete process.env.BASTION_HEARTBEAT_FILE;
      await database.drop();
    }
  });
});
