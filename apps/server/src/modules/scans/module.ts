import { SCANS_SCOPES } from '@bastion/contract';
import { ensureDemoStaff } from '../accounts/demo.js';
import { defineModule } from '../manifest.js';
import { scansAdminResources } from './admin.js';
import { seedScansDemo } from './demo.js';
import { scanCommand } from './engine/scan-command.js';
import {
  scanReverifyJob,
  scanReverifySchedule,
  scanRunJob,
  scanScheduleJob,
  scanScheduleSchedule,
} from './jobs.js';
import { scansRoutes } from './routes.js';
import * as tables from './schema.js';

/** Security scans of users' web sites: targets, verification, graded scans, schedules, alerts. */
export const scansModule = defineModule({
  name: 'scans',
  tables,
  routes: scansRoutes,
  jobs: [scanRunJob, scanScheduleJob, scanReverifyJob],
  schedules: [scanScheduleSchedule, scanReverifySchedule],
  // A scan mostly waits on a remote site: two at once per worker, so one slow target never
  // holds up the others; scale with `--queues scans:N` or more workers.
  queues: [{ name: 'scans', concurrency: 2 }],
  scopes: SCANS_SCOPES,
  admin: scansAdminResources,
  commands: { scan: scanCommand },
  // The demo staff (seeded by accounts before) own the demo targets.
  demo: async ({ db, random, now }) =>
    seedScansDemo(db, random, await ensureDemoStaff(db), { now }),
});
