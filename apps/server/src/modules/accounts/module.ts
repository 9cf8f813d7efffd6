import { defineModule } from '../manifest.js';
import { accountsAdmin } from './admin.js';
import { accountsCommands } from './cli.js';
import { ensureDemoStaff } from './demo.js';
import {
  accountsCleanupJob,
  accountsCleanupSchedule,
  passwordResetMailJob,
  signupMailJob,
  unlockMailJob,
  verificationMailJob,
} from './jobs.js';
import { accountsRoutes } from './routes.js';
import * as tables from './schema.js';

/** Users, sessions, sign-in flows, Google sign-in, API tokens and keys, user administration. */
export const accountsModule = defineModule({
  name: 'accounts',
  tables,
  routes: accountsRoutes,
  admin: accountsAdmin,
  jobs: [
    accountsCleanupJob,
    signupMailJob,
    verificationMailJob,
    passwordResetMailJob,
    unlockMailJob,
  ],
  schedules: [accountsCleanupSchedule],
  commands: accountsCommands,
  demo: async ({ db }) => ({ staff: (await ensureDemoStaff(db)).length }),
});
