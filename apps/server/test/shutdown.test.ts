import { describe, expect, it } from 'vitest';
import { createTestApp } from './app.js';

describe('graceful shutdown', () => {
  it('finishes in-flight requests, turns readiness off and refuses new connections', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const t = await createTestApp({
      routes: (app) =>
        app.get('/api/test/slow', { config: { access: 'public' } }, async () => {
          await released;
          return { finished: true };
        }),
    });
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });

    const inFlight = fetch(`${base}/api/test/slow`);
    const connections = () =>
      new Promise<number>((resolve) =>
        t.app.server.getConnections((_error, count) => resolve(count)),
      );
    await expect.poll(connections).toBe(1);
    const closing = t.app.close();
    await expect.poll(() => t.app.isShuttingDown).toBe(true);
    // The listener is closed while the slow request is still running...
    const probe = () =>
      fetch(`${base}/api/health`).then(
        () => 'accepted',
        () => 'refused',
      );
    await expect.poll(probe).toBe('refused');
    // ...and that request still completes.
    release();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closing;
    await t.database.drop();
  });
});
