import type { AdminChoice, AdminFieldType, UserRole } from '@bastion/contract';
import type { SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { FastifyBaseLogger } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import type { EnqueueOptions } from '../modules/jobs/client.js';
import type { JobDefinition } from '../modules/jobs/registry.js';

// What a module writes to put one of its tables in the generic admin. Everything is checked
// against the Drizzle table at compile time (field names are the table's column keys) and once
// more at startup (`validateResource`), so a typo fails the first boot, not the first click.

/** A role that may do something, or `false`: nobody, whatever the role. */
export type AdminRole = UserRole | false;

/** The database or a transaction: hooks and services run inside the engine's transaction. */
export type AdminTx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type AdminExecutor = Database | AdminTx;

/** Who acts: the signed-in user (sessions and API tokens; API keys never reach the admin). */
export interface AdminActor {
  userId: string;
  role: UserRole;
}

/** What hooks, services and actions get, in a request and in the `admin.action-run` job alike. */
export interface AdminContext {
  /** Inside a write: the transaction the audit event is recorded in. */
  db: AdminExecutor;
  actor: AdminActor;
  /** The request that asked for it (the job keeps the id of the request that queued it). */
  requestId: string;
  logger: FastifyBaseLogger;
  config: Config;
  enqueue<S extends z.ZodType>(
    job: JobDefinition<S> | string,
    data: z.input<S>,
    options?: EnqueueOptions,
  ): Promise<string>;
}

export type RowOf<T extends PgTable> = T['$inferSelect'];
export type InsertOf<T extends PgTable> = T['$inferInsert'];
export type ColumnKey<T extends PgTable> = keyof RowOf<T> & string;

export interface AdminField {
  /** Default: the key in words ("createdAt" → "Created at"). */
  label?: string;
  /** Default: guessed from the column (timestamp → datetime, boolean, integer, text…). */
  type?: AdminFieldType;
  /** Least role that reads it (default: the resource's `view`). */
  view?: UserRole;
  /** Least role that changes it, or `false` (default: the resource's `edit` / `create`). */
  edit?: AdminRole;
  /** Shown, never written through the admin (ids, timestamps, counters). */
  readonly?: boolean;
  /** Never leaves the server: not listed, searched, exported, recorded in history. */
  hidden?: boolean;
  choices?: readonly (string | AdminChoice)[];
  /** `fk` fields: the admin resource the value points at. */
  ref?: string;
  help?: string;
  /** Default: NOT NULL without a default in the table. */
  required?: boolean;
  /**
   * The key this field has in the write schema's input and output when it differs from the
   * column key (`fullName` ↔ `full_name` for the CRM's DRF-shaped schemas). Field errors are
   * reported under the field's own name.
   */
  input?: string;
}

/** Before a write: may change the values, or throw an HttpError (403, 409, 400) to refuse it. */
export interface AdminWriteEvent<T extends PgTable> {
  kind: 'create' | 'update' | 'delete' | 'restore';
  id?: string;
  /** The row as it is before an update/delete/restore. */
  before?: RowOf<T>;
  /** Column values about to be written (create/update/restore). */
  values: Partial<InsertOf<T>>;
}

export interface AdminHooks<T extends PgTable> {
  beforeWrite?(
    ctx: AdminContext,
    event: AdminWriteEvent<T>,
  ): Promise<Partial<InsertOf<T>> | void> | Partial<InsertOf<T>> | void;
  afterWrite?(
    ctx: AdminContext,
    event: AdminWriteEvent<T> & { id: string; after: RowOf<T> | null },
  ): Promise<void> | void;
}

/**
 * Writes that must go through the module's own service (role rules, secrets shown once). They
 * run inside the engine's transaction (`ctx.db`), after validation and field permissions; the
 * engine records the audit event from the rows they return.
 */
export interface AdminService<T extends PgTable, C = unknown, U = unknown> {
  /** `input`: the create schema's output; `values`: the same mapped to column keys. */
  create?(
    ctx: AdminContext,
    input: C,
    values: Partial<InsertOf<T>>,
  ): Promise<{ row: RowOf<T>; secrets?: Record<string, string> }>;
  update?(
    ctx: AdminContext,
    before: RowOf<T>,
    input: U,
    values: Partial<InsertOf<T>>,
  ): Promise<RowOf<T>>;
  /** Instead of the DELETE (or soft delete) the engine would run. */
  remove?(ctx: AdminContext, before: RowOf<T>): Promise<void>;
}

export interface AdminAction<T extends PgTable> {
  /** URL segment, lowercase with dashes. */
  name: string;
  label: string;
  description?: string;
  /** Least role that may run it (default: the resource's `edit`). */
  access?: AdminRole;
  /** Needs the typed count to confirm. */
  destructive?: boolean;
  /** Offered on selections and filters (default true) / on an object's page (default true). */
  bulk?: boolean;
  row?: boolean;
  /**
   * Whether the action means anything for this row ("Mark verified" on an unverified target,
   * "Revoke" on a live key): an object's page offers only those. `run` still decides (a bulk
   * run over a filter reaches every row), so it must stay safe on the others.
   */
  appliesTo?(row: RowOf<T>, actor: AdminActor): boolean;
  /**
   * Does the action to one row. Throw to mark the row failed: an HttpError's message is shown,
   * anything else is logged and shown as "failed". Runs in its own transaction with the audit
   * event (`ctx.db`). Return column changes to have them recorded in the history diff.
   */
  run(ctx: AdminContext, row: RowOf<T>): Promise<void | Partial<RowOf<T>>>;
}

export interface AdminInline {
  name: string;
  label: string;
  /** The inline's resource (`lead-notes`). */
  resource: string;
  /** Its field pointing at this resource's id (`leadId`). */
  field: string;
  /** Rows shown on the parent's page (default 10). */
  limit?: number;
}

export interface AdminAccess {
  list?: AdminRole;
  view?: AdminRole;
  create?: AdminRole;
  edit?: AdminRole;
  delete?: AdminRole;
}

export type AdminSort<K extends string> = K | `-${K}`;

export interface AdminImport {
  label: string;
  /** The web app's page for it. */
  href: string;
  /** Least role shown the link (default: the resource's `create`). */
  access?: UserRole;
}

export interface AdminResourceDefinition<
  T extends PgTable,
  K extends ColumnKey<T> = ColumnKey<T>,
  C extends z.ZodType = z.ZodType,
  U extends z.ZodType = z.ZodType,
> {
  /** URL segment, unique across modules. */
  name: string;
  label: string;
  labelPlural?: string;
  table: T;
  /** Primary key column (default `id`). */
  id?: K;
  /** Field shown for an object in pickers and the palette (default: the first text field). */
  title?: K;
  /** Every exposed column; a column not listed never leaves the server. */
  fields: Partial<Record<K, AdminField>>;
  /** Default list columns (default: the first six fields). */
  list?: readonly K[];
  /** Fields `q` matches with ILIKE (module owners add pg_trgm indexes for big tables). */
  search?: readonly K[];
  filters?: readonly K[];
  sortable?: readonly K[];
  defaultSort?: AdminSort<K>;
  /** Least role per operation; default list/view `staff`, create/edit/delete `false`. */
  access?: AdminAccess;
  /** The module's own write schemas. No `update`: the create schema made partial. */
  write?: { create?: C; update?: U };
  /** Soft delete: DELETE sets this timestamp column, lists leave such rows out. */
  softDelete?: K;
  /** Whether an old version may be brought back from the history. */
  restorable?: boolean;
  /**
   * A CSV import the module already has (upload, dry run with per-row errors, apply): the admin
   * links to it rather than growing a second importer with different rules.
   */
  import?: AdminImport;
  /**
   * The object's own page in the web app (Django's "view on site"): an app path such as
   * `/scans/results/<id>`, shown on its admin page as a link. Not for deleted rows.
   */
  viewOnSite?(row: RowOf<T>): string;
  hooks?: AdminHooks<T>;
  service?: AdminService<T, z.output<C>, z.output<U>>;
  actions?: readonly AdminAction<T>[];
  inlines?: readonly AdminInline[];
  /** Rows the actor may see at all (every query is ANDed with it); `undefined` = all rows. */
  scope?(actor: AdminActor): SQL | undefined;
  /** Exact counts up to this many rows, PostgreSQL's estimate above (default 10,000). */
  countThreshold?: number;
}

/** A definition with its types erased, as the engine handles them (and manifests list them). */
export interface AdminResource {
  readonly kind: 'admin-resource';
  // The engine works on any table; its own code is checked against the erased shapes below.
  readonly definition: AdminResourceDefinition<PgTable, string, z.ZodType, z.ZodType>;
}

/**
 * `export const leadsAdmin = defineAdminResource({ name: 'leads', table: leads, fields: {…} })`.
 * Field names, list columns, filters and sorts are checked against the table's columns.
 */
export function defineAdminResource<
  T extends PgTable,
  C extends z.ZodType = z.ZodType,
  U extends z.ZodType = z.ZodType,
>(definition: AdminResourceDefinition<T, ColumnKey<T>, C, U>): AdminResource {
  if (!/^[a-z][a-z0-9-]*$/.test(definition.name)) {
    throw new Error(`invalid admin resource name "${definition.name}"`);
  }
  return {
    kind: 'admin-resource',
    definition: definition as unknown as AdminResource['definition'],
  };
}
