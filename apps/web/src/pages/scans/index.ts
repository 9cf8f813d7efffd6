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
} satisfies WebModule;
