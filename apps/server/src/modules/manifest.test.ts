import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { generateDrizzleJson, generateMigration } from 'drizzle-kit/api';
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../test/app.js';
import { createApiToken, createUser, loginAs } from '../../test/auth.js';
import { fixtureNoteJob } from '../../test/fixture-module/jobs.js';
import { fixtureModule } from '../../test/fixture-module/module.js';
import * as fixtureTables from '../../test/fixture-module/schema.js';
import type { CliContext } from '../cli/context.js';
import { seedDemo } from '../demo/seed.js';
import { modules } from './index.js';
import { installModules, moduleCommands } from './install.js';
import { defineModule } from './manifest.js';
import { startJobRuntime } from './jobs/runtime.js';

const tableNames = (exports: Record<string, unknown>) =>
  Object.values(exports)
    .filter((value): value is PgTable => is(value, PgTable))
    .map((table) => getTableName(table))
    .sort();

describe('module manifests', () => {
  it('list exactly the tables drizzle-kit reads from each module folder', async () => {
    // drizzle.config.ts reads `modules/*/schema.ts`: a table there that no manifest lists (or the
    // reverse) would be migrated but invisible to the platform.
    const dir = import.meta.dirname;
    for (const folder of readdirSync(dir, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      const schemaFile = join(dir, folder.name, 'schema.ts');
      const manifest = modules.find((module) => module.name === folder.name);
      let onDisk: string[] = [];
      try {
        onDisk = tableNames((await import(schemaFile)) as Record<string, unknown>);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
      }
      expect(tableNames(manifest?.tables ?? {}), `tables of ${folder.name}`).toEqual(onDisk);
    }
  });

  it('are unique by name, and every module folder with code has one', () => {
    const names = modules.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);
    const folders = readdirSync(import.meta.dirname, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...names].sort()).toEqual(folders);
  });
});

describe('manifest mistakes stop the start', () => {
  it('a job on a queue no module declares', () => {
    const broken = defineModule({
      name: 'broken',
      jobs: [{ ...fixtureNoteJob, name: 'broken.job', queue: 'nowhere' }],
    });
    expect(() => installModules([...modules, broken])).toThrow(/undeclared queue "nowhere"/);
  });

  it('a route accepting a scope no module declares', async () => {
    const broken = defineModule({
      name: 'broken',
      routes: async (app) => {
        app.get(
          '/api/v1/broken',
          { config: { access: 'staff', scopes: ['nobody:read'] } },
          () => ({}),
        );
      },
    });
    await expect(createTestApp({ modules: [...modules, broken] })).rejects.toThrow(
      /scopes no module declares: GET \/api\/v1\/broken \(nobody:read\)/,
    );
  });
});

describe('a module registered by one line in the module list', () => {
  let t: TestApp;
  const list = [...modules, fixtureModule];
  beforeAll(async () => {
    t = await createTestApp({ modules: list });
    // What `npm run db:generate` writes for the module's schema.ts, applied as a migration would.
    const statements = await generateMigration(
      generateDrizzleJson({}),
      generateDrizzleJson(fixtureTables, undefined, undefined, 'snake_case'),
    );
    for (const statement of statements) await t.app.db.execute(sql.raw(statement));
  });
  afterAll(() => t.close());

  it('gets its routes, in the OpenAPI document too, behind the access they declare', async () => {
    expect((await t.app.inject({ url: '/api/v1/fixture/notes' })).statusCode).toBe(401);
    const user = await createUser(t);
    const response = await t.app.inject({
      url: '/api/v1/fixture/notes',
      headers: await loginAs(t, user),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ items: [] });
    const document = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(Object.keys(document.paths)).toContain('/api/v1/fixture/notes');
  });

  it('gets its API scope: a token with it may call the route', async () => {
    const user = await createUser(t);
    const response = await t.app.inject({
      url: '/api/v1/fixture/notes',
      headers: { authorization: await createApiToken(t, user, ['fixture:read']) },
    });
    expect(response.statusCode).toBe(200);
  });

  it('gets its queue and job: enqueued by its route, run by a worker that knows the list', async () => {
    const runtime = await startJobRuntime({
      role: 'worker',
      config: t.config,
      database: t.database,
      logger: pino({ level: 'silent' }),
      argv: ['--queues', 'fixture:1'],
      pollingIntervalSeconds: 0.5,
      modules: list,
    });
    try {
      const user = await createUser(t);
      const queued = await t.app.inject({
        method: 'POST',
        url: '/api/v1/fixture/notes',
        headers: await loginAs(t, user),
        payload: { text: 'from a job' },
      });
      expect(queued.statusCode).toBe(202);
      await vi.waitFor(
        async () => {
          const rows = await t.app.db.select().from(fixtureTables.fixtureNotes);
          expect(rows.map((row) => row.text)).toContain('from a job');
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      await runtime.stop(2000);
    }
  });

  it('gets its CLI command and its demo data', async () => {
    const command = moduleCommands(list)['fixture:count'];
    expect(command?.description).toMatch(/fixture notes/);
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => {
      printed.push(line);
    });
    const context = {
      config: t.config,
      logger: pino({ level: 'silent' }),
      database: async () => ({ ...t.database }),
      close: async () => {},
    } as unknown as CliContext; // only `database()` is used by the command
    try {
      await command!.run(context, {}, []);
    } finally {
      log.mockRestore();
    }
    expect(printed).toEqual([expect.stringMatching(/^\d+ notes$/)]);

    const summary = await seedDemo({
      db: t.app.db,
      url: t.database.url,
      logger: pino({ level: 'silent' }),
      modules: list,
    });
    expect(summary).toMatchObject({ notes: 2, leads: 240 });
  });
});
