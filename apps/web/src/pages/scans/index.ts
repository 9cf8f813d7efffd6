import type { WebModule } from '../../web-module';

// Security scans of the web sites a user registers: for every signed-in user (each sees their
// own targets; staff see all, which the API decides).
export default {
  name: 'scans',
  routes: [
    {
      path: '/scans',
      meta: { requires: 'auth' },
      children: [
        {
          path: '',
          name: 'scans',
          component: () => import('./TargetsPage.vue'),
          meta: { title: 'Scans' },
        },
        {
          path: 'targets/:id',
          name: 'scans-target',
          component: () => import('./TargetPage.vue'),
          meta: { title: 'Scan target' },
        },
        {
          path: 'results/:id',
          name: 'scans-result',
          component: () => import('./ScanPage.vue'),
          meta: { title: 'Scan result' },
        },
      ],
    },
  ],
  nav: [{ label: 'Scans', to: '/scans', requires: 'auth' }],
  home: [
    {
      id: 'scans',
      title: 'Scans',
      description: 'Graded HTTP and TLS security posture of the sites you own.',
      audience: 'Everyone',
      summary:
        "Register the sites you own and get Mozilla Observatory's grade plus TLS, leak and security.txt checks, on demand or on a schedule.",
      icon: 'M10 2.5 3.5 5v4.5c0 4 2.8 7.2 6.5 8 3.7-.8 6.5-4 6.5-8V5L10 2.5ZM7.5 10l2 2 3.5-4',
      requires: 'auth',
      links: [{ label: 'Targets', to: '/scans' }],
      stats: () => import('./home-stats').then((m) => m.scansStats()),
    },
  ],
} satisfies WebModule;
