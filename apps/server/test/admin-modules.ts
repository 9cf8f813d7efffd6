import { defineAdminResource } from '../src/admin/define.js';
import { users } from '../src/modules/accounts/schema.js';
import { modules } from '../src/modules/index.js';
import { defineModule } from '../src/modules/manifest.js';

// Modules' admin resources point at `users` (owners, authors). Until the accounts module lists
// its own users resource, the tests add this stand-in; once it does, the real one is used.

const standInUsers = defineAdminResource({
  name: 'users',
  label: 'User',
  table: users,
  title: 'email',
  fields: { email: { type: 'email' }, displayName: { type: 'text' }, role: { type: 'text' } },
  search: ['email', 'displayName'],
});

const hasUsers = modules.some((manifest) =>
  (manifest.admin ?? []).some((resource) => resource.definition.name === 'users'),
);

export const adminTestModules = hasUsers
  ? modules
  : [...modules, defineModule({ name: 'test-users', admin: [standInUsers] })];
