import { defineModule } from '../manifest.js';
import { jobSchedulesAdmin } from './admin.js';
import { enqueueDemoJobs } from './demo.js';
import { jobsPlugin } from './plugin.js';
import { jobsRoutes } from './routes.js';
import * as tables from './schema.js';
import { heartbeatJob, heartbeatSchedule, noopJob } from './system-jobs.js';

/** Background jobs on pg-boss: `app.jobs` for every module, the dashboard API, the schedules. */
export const jobsModule = defineModule({
  name: 'jobs',
  tables,
  plugins: [jobsPlugin],
  routes: jobsRoutes,
  jobs: [noopJob, heartbeatJob],
  schedules: [heartbeatSchedule],
  queues: [{ name: 'default', concurrency: 6 }],
  admin: [jobSchedulesAdmin],
  demo: async ({ url, logger }) => ({ jobs: await enqueueDemoJobs(url, logger, 40) }),
});
