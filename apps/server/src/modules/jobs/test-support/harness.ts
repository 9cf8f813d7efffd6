import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import type { InjectOptions, Response as LightMyRequestResponse } from 'light-my-request';
import { createTestApp, type TestApp } from '../../../../test/app.js';
import { createUser, loginAs } from '../../../../test/auth.js';
import { startJobRuntime, type JobsRole, type JobsRuntime } from '../runtime.js';

export const quietLogger: FastifyBaseLogger = pino({ level: 'silent' });

export interface JobsHarness extends TestApp {
  /** `app.inject` as a signed-in staff member (the jobs API is staff only). */
  inject(options: InjectOptions & { url: string }): Promise<LightMyRequestResponse>;
  staffHeaders: Record<string, string>;
  /** Starts a worker/scheduler runtime on the test database; stopped by close(). */
  runtime(
    role: JobsRole,
    options?: { argv?: string[]; cronSeconds?: number },
  ): Promise<JobsRuntime>;
  /** `system_settings` value written by the test jobs, or undefined. */
  setting(key: string): Promise<string | undefined>;
  jobState(id: string): Promise<string | undefined>;
}

/** A test app plus the jobs runtime(s) a test asks for, all on one fresh database. */
export async function createJobsHarness(env: Record<string, string> = {}): Promise<JobsHarness> {
  const testApp = await createTestApp({ env });
  const runtimes: JobsRuntime[] = [];
  const staff = await createUser(testApp, { role: 'staff' });
  const staffHeaders = await loginAs(testApp, staff);
  return {
    ...testApp,
    staffHeaders,
    inject: (options) =>
      testApp.app.inject({ ...options, headers: { ...staffHeaders, ...options.headers } }),
    async runtime(role, options = {}) {
      const runtime = await startJobRuntime({
        role,
        config: testApp.config,
        database: testApp.database,
        logger: quietLogger,
        argv: options.argv ?? ['--queues', 'default:4,mail:1'],
        pollingIntervalSeconds: 0.5,
        bossOverrides: {
          superviseIntervalSeconds: 1,
          monitorIntervalSeconds: 1,
          ...(options.cronSeconds
            ? {
                cronMonitorIntervalSeconds: options.cronSeconds,
                cronWorkerIntervalSeconds: options.cronSeconds,
              }
            : {}),
        },
      });
      runtimes.push(runtime);
      return runtime;
    },
    async setting(key) {
      const result = await testApp.database.db.execute<{ value: string }>(
        sql`SELECT value FROM system_settings WHERE key = ${key}`,
      );
      return result.rows[0]?.value;
    },
    async jobState(id) {
      const result = await testApp.database.db.execute<{ state: string }>(
        sql`SELECT state::text AS state FROM pgboss.job WHERE id = ${id}`,
      );
      return result.rows[0]?.state;
    },
    async close() {
      await Promise.all(runtimes.map((runtime) => runtime.stop(1000)));
      await testApp.close();
    },
  };
}
