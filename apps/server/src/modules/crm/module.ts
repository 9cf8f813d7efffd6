import { CRM_SCOPES } from '@bastion/contract';
import { defineModule } from '../manifest.js';
import { crmAdmin } from './admin.js';
import { seedCrmDemo } from './demo.js';
import { leadImportJob, newsletterPurgeJob, newsletterPurgeSchedule } from './jobs.js';
import { listLeadOwners } from './lead-owners.js';
import { crmRoutes } from './routes.js';
import * as tables from './schema.js';

/** Leads (the bench contract), their timeline, pipeline, import/export, and the newsletter. */
export const crmModule = defineModule({
  name: 'crm',
  tables,
  routes: crmRoutes,
  jobs: [leadImportJob, newsletterPurgeJob],
  schedules: [newsletterPurgeSchedule],
  scopes: CRM_SCOPES,
  admin: crmAdmin,
  demo: async ({ db, random, now }) => {
    // Everyone a lead may be assigned to: the demo staff seeded before, and the real staff.
    const owners = (await listLeadOwners(db)).map((owner) => owner.id);
    return seedCrmDemo(db, random, owners, { now });
  },
});
