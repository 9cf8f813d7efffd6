import type { AdminChoice, AdminFieldType, AdminFilterKind, UserRole } from '@bastion/contract';
import { getTableColumns, getTableName } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { roleAtLeast } from '../http/access.js';
import type { AdminAccess, AdminResource, AdminRole } from './define.js';

// A definition resolved once at startup: defaults filled in, columns looked up, every name
// checked. The engine only ever works on these.

export type AdminOperation = keyof Required<AdminAccess>;

export interface CompiledField {
  name: string;
  column: PgColumn;
  label: string;
  type: AdminFieldType;
  view: UserRole;
  /** Field-level edit rule on top of the resource's create/edit access (undefined: none). */
  edit: AdminRole | undefined;
  readonly: boolean;
  choices: AdminChoice[] | undefined;
  ref: string | undefined;
  help: string | undefined;
  required: boolean;
  /** Key in the write schema's input/output. */
  input: string;
  filterKind: AdminFilterKind;
}

export type IdKind = 'number' | 'uuid' | 'text';

export interface CompiledResource {
  definition: AdminResource['definition'];
  module: string;
  name: string;
  label: string;
  labelPlural: string;
  table: PgTable;
  tableName: string;
  idField: string;
  idColumn: PgColumn;
  idKind: IdKind;
  title: string;
  /** Exposed (non-hidden) fields, in definition order. */
  fields: Map<string, CompiledField>;
  list: string[];
  search: string[];
  filters: string[];
  sortable: string[];
  defaultSort: string;
  access: Record<AdminOperation, AdminRole>;
  softDelete: PgColumn | undefined;
  softDeleteField: string | undefined;
  countThreshold: number;
}

const DEFAULT_ACCESS: Record<AdminOperation, AdminRole> = {
  list: 'staff',
  view: 'staff',
  create: false,
  edit: false,
  delete: false,
};

export function allows(rule: AdminRole | undefined, role: UserRole | null): boolean {
  return rule !== undefined && rule !== false && roleAtLeast(role, rule);
}

export function may(resource: CompiledResource, op: AdminOperation, role: UserRole | null) {
  return allows(resource.access[op], role);
}

/** Whether `role` may run an action: its own `access`, else whoever may edit the resource. */
export function mayRun(
  resource: CompiledResource,
  action: { access?: AdminRole },
  role: UserRole | null,
): boolean {
  return allows(action.access ?? resource.access.edit, role);
}

export function canRead(field: CompiledField, role: UserRole | null): boolean {
  return roleAtLeast(role, field.view);
}

/** Whether `role` may set the field when creating (`create`) or changing (`edit`) a row. */
export function canWrite(
  resource: CompiledResource,
  field: CompiledField,
  op: 'create' | 'edit',
  role: UserRole | null,
): boolean {
  if (field.readonly || !canRead(field, role) || !may(resource, op, role)) return false;
  return field.edit === undefined || allows(field.edit, role);
}

function words(key: string): string {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function guessType(column: PgColumn): AdminFieldType {
  switch (column.columnType) {
    case 'PgTimestamp':
    case 'PgTimestampString':
      return 'datetime';
    case 'PgDate':
    case 'PgDateString':
      return 'date';
    case 'PgBoolean':
      return 'boolean';
    case 'PgInteger':
    case 'PgSmallInt':
    case 'PgBigInt53':
    case 'PgBigInt64':
    case 'PgSerial':
    case 'PgBigSerial53':
      return 'integer';
    case 'PgNumeric':
    case 'PgNumericNumber':
    case 'PgReal':
    case 'PgDoublePrecision':
      return 'number';
    case 'PgJson':
    case 'PgJsonb':
      return 'json';
    case 'PgUUID':
      return 'uuid';
    case 'PgArray':
      return 'tags';
    default:
      return 'text';
  }
}

function filterKindOf(type: AdminFieldType, choices: unknown): AdminFilterKind {
  if (type === 'select' || (choices !== undefined && type !== 'tags')) return 'choice';
  if (type === 'boolean') return 'boolean';
  if (type === 'date' || type === 'datetime') return 'date';
  if (type === 'fk') return 'fk';
  return 'value';
}

function idKindOf(column: PgColumn): IdKind {
  if (column.dataType === 'number' || column.dataType === 'bigint') return 'number';
  if (column.columnType === 'PgUUID') return 'uuid';
  return 'text';
}

export function compileResource(module: string, resource: AdminResource): CompiledResource {
  const def = resource.definition;
  const where = `admin resource "${def.name}" (${module})`;
  const columns = getTableColumns(def.table) as Record<string, PgColumn>;
  const column = (key: string, what: string): PgColumn => {
    const found = columns[key];
    if (!found) throw new Error(`${where}: ${what} "${key}" is not a column of the table`);
    return found;
  };
  const access = { ...DEFAULT_ACCESS, ...def.access };
  const viewDefault: UserRole = access.view === false ? 'admin' : access.view;

  const fields = new Map<string, CompiledField>();
  for (const [name, field] of Object.entries(def.fields)) {
    if (!field || field.hidden) continue;
    const col = column(name, 'field');
    const type = field.type ?? guessType(col);
    if (type === 'fk' && !field.ref) throw new Error(`${where}: fk field "${name}" needs a ref`);
    const choices = field.choices?.map((choice) =>
      typeof choice === 'string' ? { value: choice, label: words(choice) } : choice,
    );
    fields.set(name, {
      name,
      column: col,
      label: field.label ?? words(name),
      type,
      view: field.view ?? viewDefault,
      edit: field.edit,
      readonly: field.readonly ?? false,
      choices,
      ref: field.ref,
      help: field.help,
      required: field.required ?? (col.notNull && !col.hasDefault && !col.primary),
      input: field.input ?? name,
      filterKind: filterKindOf(type, choices),
    });
  }
  const exposed = (names: readonly string[] | undefined, what: string): string[] =>
    (names ?? []).map((name) => {
      if (!fields.has(name)) throw new Error(`${where}: ${what} "${name}" is not an exposed field`);
      return name;
    });

  const idField = def.id ?? 'id';
  const idColumn = column(idField, 'id');
  const list = def.list ? exposed(def.list, 'list column') : [...fields.keys()].slice(0, 6);
  const sortable = exposed(def.sortable, 'sortable field');
  const defaultSort = def.defaultSort ?? `-${idField}`;
  const sortKey = defaultSort.replace(/^-/, '');
  if (sortKey !== idField && !sortable.includes(sortKey)) {
    throw new Error(`${where}: default sort "${defaultSort}" is not sortable`);
  }
  const title =
    def.title ?? [...fields.values()].find((field) => field.type === 'text')?.name ?? idField;
  if (title !== idField) exposed([title], 'title');
  const writes = def.write ?? {};
  // Writes are always validated by a schema, also when a service does them.
  if (access.create !== false && !writes.create) {
    throw new Error(`${where}: create access needs write.create`);
  }
  if (access.edit !== false && !writes.update && !writes.create) {
    throw new Error(`${where}: edit access needs write.update or write.create`);
  }
  for (const action of def.actions ?? []) {
    if (!/^[a-z][a-z0-9-]*$/.test(action.name)) {
      throw new Error(`${where}: invalid action name "${action.name}"`);
    }
  }

  return {
    definition: def,
    module,
    name: def.name,
    label: def.label,
    labelPlural: def.labelPlural ?? `${def.label}s`,
    table: def.table,
    tableName: getTableName(def.table),
    idField,
    idColumn,
    idKind: idKindOf(idColumn),
    title,
    fields,
    list,
    search: exposed(def.search, 'search field'),
    filters: exposed(def.filters, 'filter'),
    sortable,
    defaultSort,
    access,
    softDelete: def.softDelete ? column(def.softDelete, 'softDelete') : undefined,
    softDeleteField: def.softDelete,
    countThreshold: def.countThreshold ?? 10_000,
  };
}

/** The largest integer the column holds: PostgreSQL refuses more with an error, not a miss. */
export function integerBound(column: PgColumn): number {
  if (column.columnType === 'PgSmallInt' || column.columnType === 'PgSmallSerial') return 32_767;
  if (column.columnType === 'PgInteger' || column.columnType === 'PgSerial') return 2_147_483_647;
  return Number.MAX_SAFE_INTEGER;
}

/** The value of the id as the column wants it, or undefined when it cannot be one (→ 404). */
export function parseId(resource: CompiledResource, raw: string): string | number | undefined {
  if (resource.idKind === 'number') {
    const n = Number(raw);
    return /^\d{1,16}$/.test(raw) && n > 0 && n <= integerBound(resource.idColumn) ? n : undefined;
  }
  if (resource.idKind === 'uuid') {
    return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(raw)
      ? raw
      : undefined;
  }
  return raw.length > 0 && raw.length <= 64 ? raw : undefined;
}
