import { pino } from 'pino';
import { startJobRuntime, type JobsRuntime } from '../../apps/server/src/modules/jobs/runtime.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../apps/server/test/app.js';

export interface RunningServer extends TestApp {
  baseUrl: string;
}

/**
 * The whole app with the built SPA, on its own database, listening on a free port (or on `port`,
 * for flows whose redirects must know the address in advance, such as OAuth callbacks).
 */
export async function startServer(
  options: TestAppOptions & { port?: number } = {},
): Promise<RunningServer> {
  const testApp = await createTestApp({ ...options, env: { SERVE_WEB: 'true', ...options.env } });
  const address = await testApp.app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  return { ...testApp, baseUrl: address };
}

/** A worker on the server's database (queue `default`), for pages whose actions run as jobs. */
export function startWorker(server: RunningServer): Promise<JobsRuntime> {
  return startJobRuntime({
    role: 'worker',
    config: server.config,
    database: server.database,
    logger: pino({ level: 'silent' }),
    argv: ['--queues', 'default:2'],
    pollingIntervalSeconds: 0.5,
  });
}
