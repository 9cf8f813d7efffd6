import { defineModule } from '../manifest.js';
import { mailOutboxAdmin } from './admin.js';
import { mailSendJob } from './jobs.js';
import * as tables from './schema.js';

/** Outgoing mail: the outbox every mail is written to, SMTP delivery on the `mail` queue. */
export const mailModule = defineModule({
  name: 'mail',
  tables,
  admin: [mailOutboxAdmin],
  jobs: [mailSendJob],
  // Delivery waits on a remote server: a few at once per worker is plenty.
  queues: [{ name: 'mail', concurrency: 2 }],
});
