import { pino } from 'pino';
import { startJobRuntime, type JobsRuntime } from '../src/modules/jobs/runtime.js';
import type { TestApp } from './app.js';

/**
 * A real job worker on a test app's database, for flows whose work runs as jobs (the account
 * mails of signup, forgot-password, resend-verification and the login throttle run on `mail`).
 * It LISTENs for new jobs, so it picks one up within milliseconds. Stop it before closing the app:
 * `await worker.stop(1000)`.
 */
export function startTestWorker(
  testApp: Pick<TestApp, 'config' | 'database'>,
  queues = 'mail:2,default:2',
): Promise<JobsRuntime> {
  return startJobRuntime({
    role: 'worker',
    config: testApp.config,
    database: testApp.database,
    logger: pino({ level: 'silent' }),
    argv: ['--queues', queues],
    pollingIntervalSeconds: 0.5,
  });
}
