import { defineModule } from '../manifest.js';
import { auditEventsAdmin } from './admin.js';
import { auditRoutes } from './routes.js';
import * as tables from './schema.js';

/** The audit log: other modules write it through `recordAudit`/`auditRequest`; admins read it. */
export const auditModule = defineModule({
  name: 'audit',
  tables,
  routes: auditRoutes,
  admin: [auditEventsAdmin],
});
