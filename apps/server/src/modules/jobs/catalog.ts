// Every module's job definitions, imported for their side effect of registering with
// `defineJob()`/`defineSchedule()`, so that the API, the workers and the scheduler all know every
// job type. Add one line per module that declares jobs.
import './system-jobs.js';
import '../crm/jobs.js';
import '../mail/jobs.js';
import '../accounts/jobs.js';
