import { createTestApp, type TestApp } from './app.js';
import { createUser, loginAs, type TestUser } from './auth.js';

export interface AdminTestApp {
  t: TestApp;
  admin: TestUser;
  staff: TestUser;
  user: TestUser;
  as(who: TestUser): Promise<Record<string, string>>;
}

/** Every module, an admin, a staff member and a user, for the modules' admin tests. */
export async function adminTestApp(): Promise<AdminTestApp> {
  const t = await createTestApp();
  const [admin, staff, user] = await Promise.all([
    createUser(t, { role: 'admin' }),
    createUser(t, { role: 'staff' }),
    createUser(t, { role: 'user' }),
  ]);
  return { t, admin, staff, user, as: (who) => loginAs(t, who) };
}
