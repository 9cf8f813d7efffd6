import type { AdminFieldMeta, AdminResourceMeta } from '@bastion/contract';

// Resource metadata for component tests: what GET /admin/resources would say of a small leads
// table, with the parts a test is about passed in.

export function metaField(
  name: string,
  label: string,
  type: AdminFieldMeta['type'] = 'text',
  more: Partial<AdminFieldMeta> = {},
): AdminFieldMeta {
  return {
    name,
    label,
    type,
    readable: true,
    creatable: true,
    editable: true,
    required: false,
    ...more,
  };
}

export function metaResource(more: Partial<AdminResourceMeta> = {}): AdminResourceMeta {
  return {
    name: 'leads',
    module: 'crm',
    label: 'Lead',
    labelPlural: 'Leads',
    title: 'fullName',
    fields: [metaField('fullName', 'Name'), metaField('email', 'Email')],
    list: ['fullName', 'email'],
    search: ['fullName'],
    filters: [],
    sortable: ['fullName'],
    defaultSort: 'fullName',
    permissions: { list: true, view: true, create: true, edit: true, delete: false },
    actions: [],
    inlines: [],
    softDelete: false,
    restorable: false,
    ...more,
  };
}
