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
  home: [
    {
      id: 'jobs',
      title: 'Jobs',
      description: 'Background work on the queues, retries and schedules.',
      audience: 'Staff',
      summary:
        'Background work on queues with retries and a dead-letter queue, cron schedules, and a live dashboard.',
      icon: 'M10 17.5a7.5 7.5 0 1 0 0-15 7.5 7.5 0 0 0 0 15ZM10 6v4l2.5 2.5',
      requires: 'staff',
      links: [{ label: 'Jobs dashboard', to: '/jobs' }],
      stats: () => import('./home-stats').then((m) => m.jobsStats()),
    },
  ],
} satisfies WebModule;
