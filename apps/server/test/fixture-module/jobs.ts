import { z } from 'zod';
import { defineJob } from '../../src/modules/jobs/registry.js';
import { fixtureNotes } from './schema.js';

/** Writes a note: proves a worker that knows the manifest runs the module's jobs. */
export const fixtureNoteJob = defineJob({
  name: 'fixture.note',
  queue: 'fixture',
  schema: z.object({ text: z.string().min(1) }).strict(),
  retry: { limit: 0 },
  timeoutSeconds: 30,
  async handler({ text }, { db }) {
    await db.insert(fixtureNotes).values({ text });
  },
});
