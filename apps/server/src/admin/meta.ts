import type { AdminResourceMeta, UserRole } from '@bastion/contract';
import { adminResources } from './registry.js';
import { allows, canRead, canWrite, may, mayRun, type CompiledResource } from './resource.js';

// What a caller may know about a resource: enough to build its sidebar entry, list, filters and
// forms. Fields the caller may not read are listed as unreadable (so forms know they exist but
// never get a value); hidden fields are not there at all.

export function resourceMeta(resource: CompiledResource, role: UserRole): AdminResourceMeta {
  const fields = [...resource.fields.values()];
  const readable = (name: string) => canRead(resource.fields.get(name)!, role);
  return {
    name: resource.name,
    module: resource.module,
    label: resource.label,
    labelPlural: resource.labelPlural,
    title: resource.title,
    fields: fields.map((field) => ({
      name: field.name,
      label: field.label,
      type: field.type,
      ...(field.choices ? { choices: field.choices } : {}),
      ...(field.ref ? { ref: field.ref } : {}),
      ...(field.help ? { help: field.help } : {}),
      readable: canRead(field, role),
      creatable: canWrite(resource, field, 'create', role),
      editable: canWrite(resource, field, 'edit', role),
      required: field.required,
    })),
    list: resource.list.filter(readable),
    search: resource.search.filter(readable),
    filters: resource.filters.filter(readable).map((name) => {
      const field = resource.fields.get(name)!;
      return {
        field: name,
        kind: field.filterKind,
        ...(field.choices ? { choices: field.choices } : {}),
        ...(field.ref ? { ref: field.ref } : {}),
      };
    }),
    sortable: resource.sortable.filter(readable),
    defaultSort: resource.defaultSort,
    permissions: {
      list: may(resource, 'list', role),
      view: may(resource, 'view', role),
      create: may(resource, 'create', role),
      edit: may(resource, 'edit', role),
      delete: may(resource, 'delete', role),
    },
    actions: (resource.definition.actions ?? [])
      .filter((action) => mayRun(resource, action, role))
      .map((action) => ({
        name: action.name,
        label: action.label,
        ...(action.description ? { description: action.description } : {}),
        destructive: action.destructive ?? false,
        bulk: action.bulk ?? true,
        row: action.row ?? true,
      })),
    inlines: (resource.definition.inlines ?? []).map((inline) => ({
      name: inline.name,
      label: inline.label,
      resource: inline.resource,
      field: inline.field,
    })),
    softDelete: resource.softDelete !== undefined,
    restorable: resource.definition.restorable ?? false,
    ...importLink(resource, role),
  };
}

function importLink(resource: CompiledResource, role: UserRole) {
  const link = resource.definition.import;
  if (!link || !allows(link.access ?? resource.access.create, role)) return {};
  return { import: { label: link.label, href: link.href } };
}

/** Every resource the role may list, in module order. */
export function resourceCatalog(role: UserRole): AdminResourceMeta[] {
  return adminResources()
    .filter((resource) => may(resource, 'list', role))
    .map((resource) => resourceMeta(resource, role));
}
