import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import '../../test/provided-context.js';
import { dropDatabase, ensureDatabase } from './admin.js';
import { runMigrations } from './migrate.js';
import { migrationsDir, repoRoot } from '../paths.js';

const LOCK = join(migrationsDir, 'released.sha256');
const FIX = 'If this migration is new, run `npm run migrations:lock` and commit released.sha256.';

function lockEntries(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(\S+)$/.exec(line);
    if (match) entries.set(match[2]!, match[1]!);
  }
  return entries;
}

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}
const journal = (): Journal =>
  JSON.parse(readFileSync(join(migrationsDir, 'meta/_journal.json'), 'utf8')) as Journal;

describe('released migrations', () => {
  it('are unchanged since they were locked, and every migration is locked', () => {
    const locked = lockEntries(readFileSync(LOCK, 'utf8'));
    const problems: string[] = [];
    for (const [file, hash] of locked) {
      let actual: string | undefined;
      try {
        actual = createHash('sha256')
          .update(readFileSync(join(migrationsDir, file)))
          .digest('hex');
      } catch {
        problems.push(`${file}: released but missing (renamed or deleted)`);
        continue;
      }
      if (actual !== hash) {
        problems.push(
          `${file}: edited after release; databases that ran it will never run the new text — revert it and put the change in a new migration`,
        );
      }
    }
    for (const file of readdirSync(migrationsDir).filter((f) => f.endsWith('.sql'))) {
      if (!locked.has(file)) problems.push(`${file}: not in released.sha256. ${FIX}`);
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });
});

/**
 * The previous release's migrations: those locked at the newest tag that has a lock file; with
 * no such tag (before the first release), every migration but the newest.
 */
function previousRelease(): { from: string; tags: string[] } {
  const all = journal().entries.map((entry) => entry.tag);
  let tag = '';
  try {
    tag = execFileSync('git', ['describe', '--tags', '--abbrev=0'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    // No tag (or no git, as in an image): fall back below.
  }
  if (tag) {
    try {
      const text = execFileSync('git', ['show', `${tag}:apps/server/drizzle/released.sha256`], {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const released = new Set(
        [...lockEntries(text).keys()].map((file) => file.replace(/\.sql$/, '')),
      );
      return { from: tag, tags: all.filter((name) => released.has(name)) };
    } catch {
      // The tag predates the lock file.
    }
  }
  return { from: 'all but the newest migration', tags: all.slice(0, -1) };
}

/** A migrations folder holding only the given migrations (drizzle reads the journal). */
function folderWith(tags: string[], into: string): string {
  mkdirSync(join(into, 'meta'), { recursive: true });
  const { entries, ...rest } = journal();
  const kept = entries.filter((entry) => tags.includes(entry.tag));
  writeFileSync(join(into, 'meta/_journal.json'), JSON.stringify({ ...rest, entries: kept }));
  for (const entry of kept)
    cpSync(join(migrationsDir, `${entry.tag}.sql`), join(into, `${entry.tag}.sql`));
  return into;
}

interface Column {
  table_name: string;
  column_name: string;
  data_type: string;
  udt_name: string;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
}

/**
 * One row in every table it can fill, from the catalogue rather than a hand-written list so a
 * new table takes part without editing this test: required columns get a value of their type,
 * foreign keys the referenced row. Tables whose checks reject the generic values are skipped and
 * named (the assertion below requires most tables to be filled).
 */
async function fillEveryTable(client: pg.Client): Promise<{ filled: string[]; skipped: string[] }> {
  const { rows: columns } = await client.query<Column>(
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const { rows: fks } = await client.query<{
    table: string;
    column: string;
    ref_table: string;
    ref_column: string;
  }>(
    `SELECT tc.table_name AS table, kcu.column_name AS column, ccu.table_name AS ref_table, ccu.column_name AS ref_column
       FROM information_schema.table_constraints tc
       JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
       JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
      WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = 'public'`,
  );
  const { rows: enums } = await client.query<{ name: string; label: string }>(
    `SELECT t.typname AS name, min(e.enumlabel) AS label FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
  );
  const enumLabel = new Map(enums.map((row) => [row.name, row.label]));
  const tables = [...new Set(columns.map((c) => c.table_name))].filter((t) => !t.startsWith('__'));
  // Referenced tables first.
  const ordered: string[] = [];
  const visit = (table: string, depth = 0) => {
    if (ordered.includes(table) || depth > tables.length) return;
    for (const fk of fks.filter((f) => f.table === table && f.ref_table !== table))
      visit(fk.ref_table, depth + 1);
    ordered.push(table);
  };
  tables.forEach((table) => visit(table));

  const valueFor = (column: Column, n: number): string | number | boolean | null => {
    if (enumLabel.has(column.udt_name)) return enumLabel.get(column.udt_name)!;
    switch (column.udt_name) {
      case 'int2':
      case 'int4':
      case 'int8':
      case 'numeric':
      case 'float4':
      case 'float8':
        return 1;
      case 'bool':
        return false;
      case 'uuid':
        return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
      case 'timestamptz':
      case 'timestamp':
      case 'date':
        return '2026-01-01T00:00:00Z';
      case 'json':
      case 'jsonb':
        return '{}';
      case 'bytea':
        return '\\x00';
      case 'inet':
        return '127.0.0.1';
      default:
        return column.data_type === 'ARRAY'
          ? '{}'
          : `upgrade-${column.column_name}-${n}@example.com`;
    }
  };

  const filled: string[] = [];
  const skipped: string[] = [];
  let n = 0;
  for (const table of ordered) {
    const names: string[] = [];
    const values: unknown[] = [];
    for (const column of columns.filter((c) => c.table_name === table)) {
      const fk = fks.find((f) => f.table === table && f.column === column.column_name);
      if (fk) {
        const { rows } = await client.query(
          `SELECT "${fk.ref_column}" AS v FROM "${fk.ref_table}" LIMIT 1`,
        );
        if (rows[0]) {
          names.push(column.column_name);
          values.push((rows[0] as { v: unknown }).v);
          continue;
        }
      }
      if (column.is_nullable === 'YES' || column.column_default !== null) continue;
      names.push(column.column_name);
      values.push(valueFor(column, ++n));
    }
    await client.query('SAVEPOINT fill');
    try {
      await client.query(
        `INSERT INTO "${table}" (${names.map((name) => `"${name}"`).join(', ')}) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})`,
        values,
      );
      await client.query('RELEASE SAVEPOINT fill');
      filled.push(table);
    } catch (error) {
      await client.query('ROLLBACK TO SAVEPOINT fill');
      skipped.push(`${table}: ${(error as Error).message}`);
    }
  }
  return { filled, skipped };
}

describe('upgrading from the previous release', () => {
  const serverUrl = inject('databaseServerUrl');
  const name = `bastion_upgrade_${process.pid}`;
  const work = mkdtempSync(join(tmpdir(), 'bastion-upgrade-'));
  afterAll(async () => {
    rmSync(work, { recursive: true, force: true });
    await dropDatabase(serverUrl, name);
  });

  it('applies the new migrations to a database holding rows at the previous schema', async () => {
    const previous = previousRelease();
    const url = await ensureDatabase(serverUrl, name);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query('SET client_min_messages = warning');
      await migrate(drizzle(client), { migrationsFolder: folderWith(previous.tags, work) });
      await client.query('BEGIN');
      const { filled, skipped } = await fillEveryTable(client);
      await client.query('COMMIT');
      expect(
        filled.length,
        `previous release (${previous.from}); skipped:\n${skipped.join('\n')}`,
      ).toBeGreaterThan((filled.length + skipped.length) / 2);
      // One client, so one query at a time. A table a migration dropped counts as empty.
      const counts = async () => {
        const result: Record<string, number> = {};
        for (const table of filled) {
          const exists = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [
            `public."${table}"`,
          ]);
          if (!exists.rows[0]!.t) {
            result[table] = 0;
            continue;
          }
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM "${table}"`,
          );
          result[table] = rows[0]!.n;
        }
        return result;
      };
      const before = await counts();
      // The current migrations, the way every process applies them at start.
      await runMigrations(url);
      const { rows } = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations',
      );
      expect(rows[0]!.n).toBe(journal().entries.length);
      // No migration may lose the rows it found (a table dropped on purpose needs this test's
      // expectation changed in the same commit, which a reviewer then sees).
      const after = await counts();
      expect(after).toEqual(before);
      expect(Object.values(before).every((n) => n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  });
});
