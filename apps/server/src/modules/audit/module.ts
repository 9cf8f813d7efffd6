import { defineModule } from '../manifest.js';
import { auditEventsAdmin } from './admin.js';
import * as tables from './schema.js';

/** The audit log: other modules write it through `recordAudit`/`auditRequest`; admins read it in the generic admin. */
export const auditModule = defineModule({
  name: 'audit',
  tables,
  admin: [auditEventsAdmin],
});
