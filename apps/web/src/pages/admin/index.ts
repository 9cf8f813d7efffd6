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
} satisfies WebModule;
