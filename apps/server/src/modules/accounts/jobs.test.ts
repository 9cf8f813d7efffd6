import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser, loginAs } from '../../../test/auth.js';
import type { JobContext } from '../jobs/registry.js';
import { accountsCleanupJob } from './jobs.js';
import { issueToken } from './one-time-tokens.js';

describe('accounts cleanup job', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('deletes expired sessions and used or expired one-time tokens, and nothing live', async () => {
    const user = await createUser(t, {});
    await loginAs(t, user);
    await loginAs(t, user);
    await t.database.pool.query(
      `update sessions set expires_at = now() - interval '1 second' where id_hash = (select id_hash from sessions where user_id = $1 limit 1)`,
      [user.id],
    );
    await issueToken(t.app.db, 'reset_password', user.id);
    await issueToken(t.app.db, 'verify_email', user.id);
    await t.database.pool.query(
      `update account_tokens set used_at = now() where purpose = 'reset_password'`,
    );
    // The handler only uses db, config and logger; the rest of the worker context is not needed.
    const context = { db: t.app.db, config: t.config, logger: pino({ level: 'silent' }) };
    await accountsCleanupJob.handler({}, context as unknown as JobContext);
    const sessions = await t.database.pool.query('select count(*)::int as n from sessions');
    const tokens = await t.database.pool.query('select purpose from account_tokens');
    expect(sessions.rows[0].n).toBe(1);
    expect(tokens.rows).toEqual([{ purpose: 'verify_email' }]);
  });
});
