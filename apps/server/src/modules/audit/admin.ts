import { defineAdminResource } from '../../admin/define.js';
import { auditEvents } from './schema.js';

// The audit log in the generic admin: read-only for everyone (it is append-only), admins only
// (it says who signed in from where, and holds every admin write's before/after values).

export const auditEventsAdmin = defineAdminResource({
  name: 'audit-events',
  label: 'Audit event',
  table: auditEvents,
  title: 'action',
  fields: {
    action: {},
    actorId: { label: 'Actor', type: 'fk', ref: 'users' },
    actor: { label: 'Actor kind', help: 'user:<id>, api_key:<id>, anonymous, cli, system' },
    target: {},
    requestId: { label: 'Request id' },
    ip: { label: 'IP address' },
    userAgent: {},
    data: { type: 'json' },
    createdAt: { label: 'When' },
  },
  list: ['createdAt', 'action', 'actorId', 'target', 'ip', 'requestId'],
  search: ['action', 'target'],
  filters: ['action', 'actorId', 'actor', 'target', 'requestId', 'createdAt'],
  sortable: ['createdAt', 'action'],
  defaultSort: '-createdAt',
  access: { list: 'admin', view: 'admin' },
});
