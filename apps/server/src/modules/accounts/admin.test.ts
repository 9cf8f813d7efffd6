import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createUser } from '../../../test/auth.js';
import { serverRoot } from '../../paths.js';
import { firstStartSetupLink } from './setup.js';

const run = promisify(execFile);

/** `npm run cli -- …` from source, against the test's database, with `input` on stdin. */
async function cli(t: TestApp, args: string[], input = '') {
  const child = run(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/cli/main.ts', ...args],
    {
      cwd: serverRoot,
      env: {
        ...process.env,
        DATABASE_URL: t.database.url,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'info',
        NODE_ENV: 'test',
      },
    },
  );
  child.child.stdin?.end(input);
  return child;
}

describe('first start setup', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('lets the first visitor create the admin with the one-time link, once', async () => {
    const state = await t.app.inject({ url: '/api/v1/auth/state' });
    expect(state.json()).toMatchObject({ user: null, setupRequired: true, signupEnabled: true });
    const link = await firstStartSetupLink(t.app);
    const token = new URL(link!).searchParams.get('token')!;
    const payload = { token, email: 'root@example.test', password: 'the admin passphrase' };
    const created = await t.app.inject({ method: 'POST', url: '/api/v1/auth/setup', payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ role: 'admin', emailVerified: true });
    expect(String(created.headers['set-cookie'])).toContain('bastion_session=');
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { ...payload, email: 'second@example.test' },
    });
    expect(again.statusCode).toBe(400);
    expect(await firstStartSetupLink(t.app)).toBeUndefined();
    expect((await t.app.inject({ url: '/api/v1/auth/state' })).json().setupRequired).toBe(false);
  });
});

describe('setup with accounts but no admin yet', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('still offers the setup link after signups or demo staff, until an admin exists', async () => {
    await createUser(t, { role: 'staff' });
    await createUser(t, {});
    const state = await t.app.inject({ url: '/api/v1/auth/state' });
    expect(state.json().setupRequired).toBe(true);
    const token = new URL((await firstStartSetupLink(t.app))!).searchParams.get('token')!;
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/setup',
      payload: { token, email: 'owner@example.test', password: 'the admin passphrase' },
    });
    expect(created.statusCode).toBe(201);
    expect(await firstStartSetupLink(t.app)).toBeUndefined();
  });
});

describe('CLI', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('apikey:create imports an existing key value and stores only its hash', async () => {
    const { stdout } = await cli(t, [
      'apikey:create',
      '--name',
      'site',
      '--scopes',
      'leads:write',
      '--key',
      'existing-site-key-0123456789',
    ]);
    expect(stdout.trim().split('\n')[0]).toBe('existing-site-key-0123456789');
    const { rows } = await t.database.pool.query('select name, scopes, key_hash from api_keys');
    expect(rows).toEqual([
      { name: 'site', scopes: ['leads:write'], key_hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
    ]);
  }, 30_000);

  it('user:create-admin reads the password from stdin and enforces the policy', async () => {
    await expect(
      cli(t, ['user:create-admin', '--email', 'weak@example.test'], 'short\n'),
    ).rejects.toThrow(/at least 10/);
    await cli(
      t,
      ['user:create-admin', '--email', 'Boss@Example.test'],
      'a strong admin passphrase\n',
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'boss@example.test', password: 'a strong admin passphrase' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json().role).toBe('admin');
  }, 30_000);
});
