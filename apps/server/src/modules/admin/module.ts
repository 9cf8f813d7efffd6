import { defineModule } from '../manifest.js';
import { actionRunJob } from './action-runs.js';
import { adminRoutes } from './routes.js';
import * as tables from './schema.js';

/**
 * The generic admin (issue #14): one API over every module's `admin` resources (the engine is
 * in src/admin/), its saved views and the runs of big bulk actions.
 */
export const adminModule = defineModule({
  name: 'admin',
  tables,
  routes: adminRoutes,
  jobs: [actionRunJob],
});
