import { accountsModule } from './accounts/module.js';
import { adminModule } from './admin/module.js';
import { auditModule } from './audit/module.js';
import { crmModule } from './crm/module.js';
import { healthModule } from './health/module.js';
import { jobsModule } from './jobs/module.js';
import { mailModule } from './mail/module.js';
import type { ModuleManifest } from './manifest.js';
import { opsModule } from './ops/module.js';
import { scansModule } from './scans/module.js';

/**
 * Every module of Bastion, once. A new module adds its manifest here (one line) and nothing else
 * outside its folder: routes, tables, jobs, schedules, queues, scopes, CLI commands and demo data
 * all come from the manifest. Order matters only for demo data (a module's demo may use what an
 * earlier one seeded) and for the order routes appear in the OpenAPI document.
 */
export const modules: readonly ModuleManifest[] = [
  healthModule,
  auditModule,
  mailModule,
  accountsModule,
  jobsModule,
  crmModule,
  scansModule,
  opsModule,
  adminModule,
];
