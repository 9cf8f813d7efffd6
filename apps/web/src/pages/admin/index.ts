import type { WebModule } from '../../web-module';

// The back office, for staff: one generic admin over every module's tables. The pages are built
// from the resource metadata (GET /api/v1/admin/resources); what each person sees follows it.
export default {
  name: 'admin',
  routes: [
    {
      // The shell shows the overview itself at /admin (a '' child would repeat the path).
      path: '/admin',
      name: 'admin-home',
      component: () => import('./AdminShell.vue'),
      meta: { requires: 'staff', wide: true, title: 'Admin' },
      children: [
        // The hand-built pages' old addresses.
        { path: 'audit', redirect: (to) => ({ path: '/admin/audit-events', query: to.query }) },
        { path: 'mail', redirect: '/admin/mail-outbox' },
        {
          path: ':resource',
          name: 'admin-list',
          component: () => import('./ResourceListPage.vue'),
          meta: { title: 'Admin' },
        },
        {
          path: ':resource/new',
          name: 'admin-new',
          component: () => import('./RecordPage.vue'),
          meta: { title: 'Admin' },
        },
        {
          path: ':resource/:id',
          name: 'admin-record',
          component: () => import('./RecordPage.vue'),
          meta: { title: 'Admin' },
        },
      ],
    },
  ],
  nav: [{ label: 'Admin', to: '/admin', requires: 'staff' }],
  home: [
    {
      id: 'admin',
      title: 'Admin',
      description: 'Every table in one place: people, API keys, leads, the audit log and more.',
      audience: 'Staff',
      summary:
        'One back office over every module: search, filter and edit any table, bulk actions, saved views, history with restore, and an audit log of every change.',
      icon: 'M3 5h14M3 10h14M3 15h14M7 3.5v3M13 8.5v3M9 13.5v3',
      requires: 'staff',
      links: [
        { label: 'Overview', to: '/admin' },
        { label: 'Users', to: '/admin/users' },
        { label: 'API keys', to: '/admin/api-keys' },
        { label: 'Audit log', to: '/admin/audit-events' },
      ],
      stats: () => import('./home-stats').then((m) => m.adminStats()),
    },
  ],
} satisfies WebModule;
