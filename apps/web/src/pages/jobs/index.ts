import type { WebModule } from '../../web-module';

// Queues, recent jobs and schedules, for staff.
export default {
  name: 'jobs',
  routes: [
    {
      path: '/jobs',
      name: 'jobs',
      component: () => import('./JobsDashboardPage.vue'),
      meta: { title: 'Jobs', requires: 'staff' },
    },
  ],
  nav: [{ label: 'Jobs', to: '/jobs', requires: 'staff' }],
} satisfies WebModule;
