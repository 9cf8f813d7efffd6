import type { WebModule } from '../../web-module';

// The back office, for admins: one menu entry, tabs inside (AdminTabs.vue).
export default {
  name: 'admin',
  routes: [
    {
      path: '/admin',
      meta: { requires: 'admin' },
      children: [
        { path: '', redirect: '/admin/users' },
        {
          path: 'users',
          name: 'admin-users',
          component: () => import('./UsersPage.vue'),
          meta: { title: 'Users' },
        },
        {
          path: 'mail',
          name: 'admin-mail',
          component: () => import('./MailOutboxPage.vue'),
          meta: { title: 'Mail outbox' },
        },
        {
          path: 'api-keys',
          name: 'admin-api-keys',
          component: () => import('./ApiKeysPage.vue'),
          meta: { title: 'API keys' },
        },
        {
          path: 'audit',
          name: 'admin-audit',
          component: () => import('./AuditLogPage.vue'),
          meta: { title: 'Audit log' },
        },
      ],
    },
  ],
  nav: [{ label: 'Admin', to: '/admin/users', requires: 'admin' }],
  home: [
    {
      id: 'admin',
      title: 'Admin',
      description: 'People, API keys for other systems, the audit log and the mail outbox.',
      audience: 'Admins',
      summary:
        'Users and roles, API keys for other systems, an audit log of every sensitive action, and the mail outbox.',
      icon: 'M3 5h14M3 10h14M3 15h14M7 3.5v3M13 8.5v3M9 13.5v3',
      requires: 'admin',
      links: [
        { label: 'Users', to: '/admin/users' },
        { label: 'API keys', to: '/admin/api-keys' },
        { label: 'Audit log', to: '/admin/audit' },
        { label: 'Mail outbox', to: '/admin/mail' },
      ],
      stats: () => import('./home-stats').then((m) => m.adminStats()),
    },
  ],
} satisfies WebModule;
