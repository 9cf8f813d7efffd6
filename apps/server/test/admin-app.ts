import { adminTestModules } from './admin-modules.js';
import { createTestApp, type TestApp } from './app.js';
import { createUser, loginAs, type TestUser } from './auth.js';

export interface AdminTestApp {
  t: TestApp;
  admin: TestUser;
  staff: TestUser;
  user: TestUser;
  as(who: TestUser): Promise<Record<string, string>>;
}

/** Every real module (and the users stand-in when needed), an admin, a staff member, a user. */
export async function adminTestApp(): Promise<AdminTestApp> {
  const t = await createTestApp({ modules: adminTestModules });
  const [admin, staff, user] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'staff' }),
    createUser(t, { role: 'user' }),
  ]);
  return { t, admin, staff, user, as: (who) => loginAs(t, who) };
}
