import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';

// A site that accepts the connection and never answers: the whole-scan deadline (the shortest
// allowed, 5 s) aborts the scan, and the worker is free again.

let t: TestApp;
let worker: JobsRuntime;
const sockets = new Set<Socket>();
const silent = createServer((socket) => sockets.add(socket));

beforeAll(async () => {
  t = await createTestApp({
    env: { SCAN_ALLOW_CIDRS: '127.0.0.0/8', SCAN_ALLOWED_PORTS: '*', SCAN_DEADLINE_S: '5' },
  });
  worker = await startTestWorker(t, 'scans:2');
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
}, 60_000);

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  silent.close();
  await worker?.stop(1000);
  await t?.close();
});

it('aborts a scan that outlives its deadline', async () => {
  const headers = await loginAs(t, await createUser(t));
  const port = (silent.address() as AddressInfo).port;
  const target = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scans/targets',
    headers,
    payload: { name: 'Silent', url: `http://127.0.0.1:${port}/` },
  });
  const scan = await t.app.inject({
    method: 'POST',
    url: `/api/v1/scans/targets/${target.json().id}/scans`,
    headers,
    payload: {},
  });
  expect(scan.statusCode).toBe(202);
  await expect
    .poll(
      async () =>
        (await t.app.inject({ url: `/api/v1/scans/scans/${scan.json().id}`, headers })).json(),
      { timeout: 20_000, interval: 200 },
    )
    .toMatchObject({ state: 'aborted', error: 'The scan did not finish within 5 s.' });
}, 40_000);
