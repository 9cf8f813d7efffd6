import type { JobsRuntime } from '../../apps/server/src/modules/jobs/runtime.js';
import { createTestApp, type TestApp, type TestAppOptions } from '../../apps/server/test/app.js';
import { startTestWorker } from '../../apps/server/test/worker.js';

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

/**
 * A worker on the server's database (queues `default` and `mail`), for pages whose actions run
 * as jobs: CRM work, and the account mails of signup and forgot-password.
 */
export function startWorker(server: RunningServer): Promise<JobsRuntime> {
  return startTestWorker(server, 'default:2,mail:1');
}
