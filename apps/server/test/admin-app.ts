import type { LightMyRequestResponse } from 'fastify';
import type { ModuleManifest } from '../src/modules/manifest.js';
import { createTestApp, type TestApp } from './app.js';
import { createUser, loginAs, type TestUser } from './auth.js';

export type AdminMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface AdminTestApp {
  t: TestApp;
  admin: TestUser;
  staff: TestUser;
  user: TestUser;
  as(who: TestUser): Promise<Record<string, string>>;
  /** One request as `who`, signed in (a session cookie and its CSRF header). */
  call(
    method: AdminMethod,
    url: string,
    who: TestUser,
    payload?: unknown,
  ): Promise<LightMyRequestResponse>;
}

/**
 * An app (every module, or `modules`), an admin, a staff member and a user, for the admin
 * engine's and the modules' admin tests.
 */
export async function adminTestApp(
  options: { modules?: readonly ModuleManifest[] } = {},
): Promise<AdminTestApp> {
  const t = await createTestApp(options.modules ? { modules: options.modules } : {});
  const [admin, staff, user] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'staff' }),
    createUser(t, { role: 'user' }),
  ]);
  const as = (who: TestUser) => loginAs(t, who);
  return {
    t,
    admin,
    staff,
    user,
    as,
    call: async (method, url, who, payload) =>
      t.app.inject({
        method,
        url,
        headers: await as(who),
        ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
      }),
  };
}
