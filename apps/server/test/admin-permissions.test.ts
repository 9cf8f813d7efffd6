import { USER_ROLES, type UserRole } from '@bastion/contract';
import { and, getTableColumns, isNull } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminResources } from '../src/admin/registry.js';
import {
  allows,
  canRead,
  may,
  type AdminOperation,
  type CompiledResource,
} from '../src/admin/resource.js';
import { presentValue } from '../src/admin/values.js';
import { fixtureModule } from '../src/admin/test-fixture.js';
import { seedDemo } from '../src/demo/seed.js';
import { modules } from '../src/modules/index.js';
import { recordAudit } from '../src/modules/audit/service.js';
import { sendMail } from '../src/modules/mail/service.js';
import { createTestApp, type TestApp } from './app.js';
import { createApiKey, createApiToken, createUser, loginAs, type TestUser } from './auth.js';

// Walks EVERY registered admin resource (a module that adds one is covered without touching
// this file) as each role, against the real API: list, meta, view, history, lookup, export,
// create, edit, delete and every action are allowed exactly where the definition says (403
// elsewhere), and no answer carries a hidden column (or its value) or a field the role cannot
// read. Rows come from every module's demo data plus a few made here; a resource still without
// one fails with its name, so whoever adds a resource also makes sure it has a row to test.

type Row = Record<string, unknown>;
type Headers = Record<string, string>;

let t: TestApp;
const people = {} as Record<UserRole, TestUser>;
const headers = {} as Record<UserRole, Headers>;
/** Per resource: one row, its id, and the values of its hidden columns (never to be seen). */
const seeded = new Map<string, { row: Row; id: string; secrets: string[] }>();
const base = '/api/v1/admin/resources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/;

const MISSING_ID = {
  number: '2147483000',
  uuid: '00000000-0000-4000-8000-000000000000',
  text: 'no-such-object',
};

/** The admin is for staff and admins: a plain user gets 403 whatever a definition says. */
const allowed = (resource: CompiledResource, op: AdminOperation, role: UserRole) =>
  role !== 'user' && may(resource, op, role);

const hiddenColumns = (resource: CompiledResource) =>
  Object.keys(getTableColumns(resource.table)).filter(
    (key) => !resource.fields.has(key) && key !== resource.idField,
  );

/** The names a record of `resource` may carry for `role`: the id and readable fields. */
const readable = (resource: CompiledResource, role: UserRole) =>
  new Set([
    'id',
    ...[...resource.fields.values()].filter((f) => canRead(f, role)).map((f) => f.name),
  ]);

function expectOnlyReadable(
  resource: CompiledResource,
  role: UserRole,
  records: Row[],
  where: string,
) {
  const allowedNames = readable(resource, role);
  for (const record of records) {
    const extra = Object.keys(record).filter((key) => !allowedNames.has(key));
    expect(extra, `${resource.name} ${where} as ${role}`).toEqual([]);
  }
}

function expectNoSecrets(resource: CompiledResource, body: string, where: string) {
  for (const secret of seeded.get(resource.name)!.secrets) {
    expect(body.includes(secret), `${resource.name} ${where} leaks a hidden value ${secret}`).toBe(
      false,
    );
  }
}

async function get(role: UserRole, url: string) {
  return t.app.inject({ method: 'GET', url, headers: headers[role] });
}

async function seedRows() {
  const logger = pino({ level: 'silent' });
  await seedDemo({ db: t.app.db, url: t.database.url, logger });
  // What the demo leaves out: sessions, credentials, mail (one with an HTML copy), audit.
  await loginAs(t, people.user);
  await createApiToken(t, people.staff, ['leads:read']);
  await createApiKey(t, ['leads:write'], { name: 'walk key' });
  await sendMail(
    {
      db: t.app.db,
      config: { smtpUrl: undefined, mailFrom: 'walk@example.test', organizationName: 'Walk' },
    },
    { to: 'walk@example.test', subject: 'Walk', text: 'Plain body', html: '<p>HTML-ONLY-COPY</p>' },
  );
  await recordAudit(t.app.db, { action: 'walk.seeded', actorId: people.admin.id });
  // A CSV import (the CRM's dry run), with a row error.
  await t.database.pool.query(
    `INSERT INTO lead_imports (filename, total_rows, invalid_rows, errors, created_by)
     VALUES ('walk.csv', 1, 1, '[{"row":1,"errors":[{"field":"email","message":"Invalid."}]}]', $1)`,
    [people.staff.id],
  );
}

beforeAll(async () => {
  // The engine's test fixture too: a resource with every feature (admin-only and hidden
  // fields, soft delete, admin-only actions), so each branch of this walk runs at least once.
  t = await createTestApp({ modules: [...modules, fixtureModule] });
  for (const role of USER_ROLES) {
    people[role] = await createUser(t, { role, displayName: `Walk ${role}` });
    headers[role] = await loginAs(t, people[role]);
  }
  await seedRows();
  for (const resource of adminResources()) {
    // A row every role's scope lets through (resources with a row scope), not soft-deleted.
    const scopes = USER_ROLES.map((role) =>
      resource.definition.scope?.({ userId: people[role].id, role }),
    );
    const conditions = and(
      resource.softDelete ? isNull(resource.softDelete) : undefined,
      ...scopes,
    );
    const rows = (await t.app.db
      .select()
      .from(resource.table)
      .where(conditions)
      .limit(100)) as Row[];
    // Hidden values worth looking for in answers: not short, not ids or timestamps (those occur
    // elsewhere legitimately: an updatedAt equal to the createdAt shown, a user id), and not
    // equal to a value the row shows anyway. Whether hidden *fields* show is checked by name.
    const secretsOf = (row: Row) => {
      const shown = new Set(
        [...resource.fields.keys()].map((key) => JSON.stringify(presentValue(row[key]))),
      );
      return hiddenColumns(resource)
        .map((key) => presentValue(row[key]))
        .filter((value) => !shown.has(JSON.stringify(value)))
        .map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
        .filter((value) => value.length >= 12 && !UUID.test(value) && !ISO_TIME.test(value));
    };
    // The row with the most hidden values to look for.
    const row = rows.sort((a, b) => secretsOf(b).length - secretsOf(a).length)[0];
    if (!row) continue;
    const id = String(row[resource.idField]);
    seeded.set(resource.name, { row, id, secrets: secretsOf(row) });
    // A history entry that names every column, hidden ones too (the engine never records
    // those; a bug or an old event might): the history answer must still leave them out.
    const changes = Object.fromEntries(
      Object.keys(getTableColumns(resource.table)).map((key) => [
        key,
        { before: presentValue(row[key]), after: presentValue(row[key]) },
      ]),
    );
    await recordAudit(t.app.db, {
      action: `admin.${resource.name}.updated`,
      actorId: people.admin.id,
      target: `${resource.name}:${id}`,
      data: { requestId: 'walk', changes },
    });
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('every admin resource, as every role', () => {
  it('has resources, each with a row to test against', () => {
    const names = adminResources().map((resource) => resource.name);
    expect(names).toEqual(expect.arrayContaining(['users', 'sessions', 'audit-events']));
    expect(names.filter((name) => !seeded.has(name))).toEqual([]);
  });

  for (const role of USER_ROLES) {
    describe(`as ${role}`, () => {
      it('reads exactly where allowed, and only readable fields', async () => {
        for (const resource of adminResources()) {
          const { id } = seeded.get(resource.name)!;
          const r = `${base}/${resource.name}`;
          const canList = allowed(resource, 'list', role);
          const canView = allowed(resource, 'view', role);
          const checks: [string, boolean][] = [
            [`${r}/meta`, canList],
            [`${r}?limit=5`, canList],
            [`${r}/export`, canList],
            [`${r}/${id}`, canView],
            [`${r}/${id}/history`, canView],
          ];
          for (const [url, ok] of checks) {
            const response = await get(role, url);
            expect(response.statusCode, `${role} GET ${url}: ${response.body}`).toBe(
              ok ? 200 : 403,
            );
            if (!ok) continue;
            expectNoSecrets(resource, response.body, url);
          }
          if (canList) {
            const list = await get(role, `${r}?limit=100`);
            expectOnlyReadable(resource, role, list.json().items, 'list');
            const csv = (await get(role, `${r}/export`)).body;
            const header = csv.split('\n')[0]!.trim();
            const labels = new Set([
              'id',
              ...[...readable(resource, role)].map((name) => resource.fields.get(name)?.label),
            ]);
            for (const cell of header.split(',')) {
              expect(labels.has(cell.replace(/^"|"$/g, '')), `${resource.name} CSV ${cell}`).toBe(
                true,
              );
            }
            // A hidden column's value finds nothing: hidden fields are not searched.
            for (const secret of seeded.get(resource.name)!.secrets) {
              const found = await get(role, `${r}?q=${encodeURIComponent(secret.slice(0, 100))}`);
              expect(found.statusCode).toBe(200);
              expect(found.json().items, `${resource.name} search by a hidden value`).toEqual([]);
            }
            const { row, id: seededId } = seeded.get(resource.name)!;
            const fields = [...resource.fields.values()];
            // A field the role cannot read is no filter for it (its values would show through)…
            for (const field of fields.filter((f) => !canRead(f, role))) {
              if (!resource.filters.includes(field.name)) continue;
              const filters = encodeURIComponent(JSON.stringify({ [field.name]: null }));
              const response = await get(role, `${r}?filters=${filters}`);
              expect(response.statusCode, `${resource.name} filter ${field.name}`).toBe(400);
            }
            // …and a search does not match on it: the seeded row is found by such a value only
            // when one of its readable search fields holds it too.
            for (const field of fields.filter((f) => !canRead(f, role))) {
              const value = row[field.name];
              if (!resource.search.includes(field.name) || typeof value !== 'string') continue;
              if (value.length < 3) continue;
              const found = await get(role, `${r}?limit=100&q=${encodeURIComponent(value)}`);
              const ids = (found.json().items as Row[]).map((item) => item.id);
              const visibly = resource.search.some((name) => {
                const other = row[name];
                return (
                  canRead(resource.fields.get(name)!, role) &&
                  typeof other === 'string' &&
                  other.toLowerCase().includes(value.toLowerCase())
                );
              });
              if (!visibly)
                expect(ids, `${resource.name} search on ${field.name}`).not.toContain(seededId);
            }
          }
          if (canView) {
            const detail = (await get(role, `${r}/${id}`)).json();
            expectOnlyReadable(resource, role, [detail.record], 'detail');
            for (const inline of detail.inlines as { resource: string; items: Row[] }[]) {
              const child = adminResources().find((c) => c.name === inline.resource)!;
              expectOnlyReadable(child, role, inline.items, `inline of ${resource.name}`);
              expectNoSecrets(child, JSON.stringify(inline.items), 'inline');
            }
            const history = (await get(role, `${r}/${id}/history`)).json();
            expect(history.items.length, `${resource.name} history`).toBeGreaterThan(0);
            for (const entry of history.items as { changes: Row }[]) {
              expectOnlyReadable(resource, role, [{ id, ...entry.changes }], 'history');
            }
          }
          const title = resource.fields.get(resource.title);
          const canLookup =
            canView && (resource.title === resource.idField || (title && canRead(title, role)));
          const lookup = await get(role, `${r}/lookup?q=`);
          expect(lookup.statusCode, `${role} lookup ${resource.name}`).toBe(canLookup ? 200 : 403);
          if (canLookup) expectNoSecrets(resource, lookup.body, 'lookup');
        }
      });

      it('finds nothing hidden through the palette', async () => {
        const palette = await get(role, `/api/v1/admin/search?q=a`);
        expect(palette.statusCode).toBe(role === 'user' ? 403 : 200);
        for (const resource of adminResources()) {
          expectNoSecrets(resource, palette.body, 'palette');
          for (const secret of seeded.get(resource.name)!.secrets) {
            // Cut as the list search above: a long hidden value (a scan report) would pass `q`'s limit.
            const q = encodeURIComponent(secret.slice(0, 100));
            const hit = await get(role, `/api/v1/admin/search?q=${q}`);
            if (role === 'user') expect(hit.statusCode).toBe(403);
            // Another resource over the same table may show (and search) that column: only
            // hits of this resource would be a leak.
            else {
              const own = (hit.json().items as { resource: string }[]).filter(
                (item) => item.resource === resource.name,
              );
              expect(own, `${resource.name} palette by hidden value`).toEqual([]);
            }
          }
        }
        if (role === 'user') return;
        const hits = palette.json().items as { resource: string }[];
        for (const hit of hits) {
          const resource = adminResources().find((r) => r.name === hit.resource)!;
          expect(allowed(resource, 'list', role) && allowed(resource, 'view', role)).toBe(true);
        }
      });

      it('writes exactly where allowed', async () => {
        for (const resource of adminResources()) {
          const r = `${base}/${resource.name}`;
          const missing = `${r}/${MISSING_ID[resource.idKind]}`;
          const create = await t.app.inject({
            method: 'POST',
            url: r,
            headers: headers[role],
            payload: {},
          });
          const what = `${role} create ${resource.name}: ${create.body}`;
          if (allowed(resource, 'create', role)) {
            expect(create.statusCode, what).not.toBe(403);
            expect(create.statusCode, what).toBeLessThan(500);
          } else expect(create.statusCode, what).toBe(403);

          const edit = await t.app.inject({
            method: 'PATCH',
            url: missing,
            headers: headers[role],
            payload: {},
          });
          // Allowed: the object is not found (or the empty body refused), never a 403.
          if (allowed(resource, 'edit', role)) expect([400, 404]).toContain(edit.statusCode);
          else expect(edit.statusCode, `${role} edit ${resource.name}`).toBe(403);

          const remove = await t.app.inject({
            method: 'DELETE',
            url: missing,
            headers: headers[role],
          });
          expect(remove.statusCode, `${role} delete ${resource.name}`).toBe(
            allowed(resource, 'delete', role) ? 404 : 403,
          );
        }
      });

      it('restores from the history only where allowed to edit', async () => {
        for (const resource of adminResources()) {
          const { id } = seeded.get(resource.name)!;
          if (allowed(resource, 'edit', role) && resource.definition.restorable) continue;
          const { rows } = await t.database.pool.query<{ id: string }>(
            `SELECT id FROM audit_events WHERE target = $1 AND action = $2`,
            [`${resource.name}:${id}`, `admin.${resource.name}.updated`],
          );
          const response = await t.app.inject({
            method: 'POST',
            url: `${base}/${resource.name}/${id}/history/${rows[0]!.id}/restore`,
            headers: headers[role],
          });
          expect(response.statusCode, `${role} restores ${resource.name}`).toBe(403);
        }
      });

      it('runs every action exactly where allowed', async () => {
        for (const resource of adminResources()) {
          const { id } = seeded.get(resource.name)!;
          for (const action of resource.definition.actions ?? []) {
            const url = `${base}/${resource.name}/actions/${action.name}`;
            const ok =
              role !== 'user' &&
              may(resource, 'view', role) &&
              allows(action.access ?? resource.access.edit, role) &&
              !(action.row === false && action.bulk === false);
            const preview = await t.app.inject({
              method: 'POST',
              url,
              headers: headers[role],
              payload: { ids: [id], preview: true },
            });
            const what = `${role} ${resource.name}/${action.name}: ${preview.body}`;
            expect(preview.statusCode, what).toBe(ok ? 200 : 403);
            if (ok) expect(preview.json()).toEqual({ kind: 'preview', count: 1 });
            else {
              // Not only the preview: running it is refused as well.
              const run = await t.app.inject({
                method: 'POST',
                url,
                headers: headers[role],
                payload: { ids: [id], confirm: 1 },
              });
              expect(run.statusCode, `${role} runs ${resource.name}/${action.name}`).toBe(403);
            }
          }
        }
      });
    });
  }
});
