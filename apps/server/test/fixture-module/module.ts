import { asc } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { defineModule } from '../../src/modules/manifest.js';
import { fixtureNoteJob } from './jobs.js';
import * as tables from './schema.js';
import { fixtureNotes } from './schema.js';

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/v1/fixture/notes',
    {
      config: { access: 'authenticated', scopes: ['fixture:read'] },
      schema: {
        tags: ['fixture'],
        summary: 'Notes of the fixture module',
        response: { 200: z.object({ items: z.array(z.string()) }) },
      },
    },
    async () => {
      const rows = await app.db.select().from(fixtureNotes).orderBy(asc(fixtureNotes.id));
      return { items: rows.map((row) => row.text) };
    },
  );
  app.post(
    '/api/v1/fixture/notes',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['fixture'],
        summary: 'Queue a note (written by the fixture job)',
        body: z.object({ text: z.string().min(1).max(100) }),
        response: { 202: z.object({ jobId: z.string() }) },
      },
    },
    async (request, reply) => {
      const jobId = await app.jobs.enqueue(fixtureNoteJob, { text: request.body.text });
      return reply.code(202).send({ jobId });
    },
  );
};

/**
 * A module as a newcomer would write one, used by modules/manifest.test.ts to prove that the
 * manifest is the only place a module is registered: one line in a module list gives it routes,
 * a table, a queue with its job, a scope, a CLI command and demo data.
 */
export const fixtureModule = defineModule({
  name: 'fixture',
  tables,
  routes,
  jobs: [fixtureNoteJob],
  queues: [{ name: 'fixture', concurrency: 1 }],
  scopes: { 'fixture:read': 'user' },
  commands: {
    'fixture:count': {
      description: 'Print how many fixture notes exist.',
      async run(context) {
        const { db } = await context.database();
        console.log(`${(await db.select().from(fixtureNotes)).length} notes`);
      },
    },
  },
  demo: async ({ db }) => {
    await db.insert(fixtureNotes).values([{ text: 'demo one' }, { text: 'demo two' }]);
    return { notes: 2 };
  },
});
