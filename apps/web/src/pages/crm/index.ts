import type { WebModule } from '../../web-module';

// Leads and the newsletter. Everything under /crm is for staff (one guard on the parent route);
// the pages behind the links in newsletter mails are public.
export default {
  name: 'crm',
  routes: [
    {
      path: '/crm',
      meta: { requires: 'staff' },
      children: [
        {
          path: '',
          name: 'crm',
          component: () => import('./LeadDashboardPage.vue'),
          meta: { title: 'CRM' },
        },
        {
          path: 'leads',
          name: 'crm-leads',
          component: () => import('./LeadsPage.vue'),
          meta: { title: 'Leads' },
        },
        {
          path: 'leads/:id(\\d+)',
          name: 'crm-lead',
          component: () => import('./LeadDetailPage.vue'),
          meta: { title: 'Lead' },
        },
        {
          path: 'board',
          name: 'crm-board',
          component: () => import('./LeadBoardPage.vue'),
          meta: { title: 'Pipeline' },
        },
        {
          path: 'import',
          name: 'crm-import',
          component: () => import('./LeadImportPage.vue'),
          meta: { title: 'Import leads' },
        },
        {
          path: 'newsletter',
          name: 'crm-newsletter',
          component: () => import('./NewsletterPage.vue'),
          meta: { title: 'Newsletter' },
        },
      ],
    },
    {
      path: '/newsletter/confirm',
      name: 'newsletter-confirm',
      component: () => import('./NewsletterActionPage.vue'),
      props: { action: 'confirm' },
      meta: { title: 'Newsletter' },
    },
    {
      path: '/newsletter/unsubscribe',
      name: 'newsletter-unsubscribe',
      component: () => import('./NewsletterActionPage.vue'),
      props: { action: 'unsubscribe' },
      meta: { title: 'Unsubscribe' },
    },
  ],
  nav: [{ label: 'CRM', to: '/crm', requires: 'staff' }],
  home: [
    {
      id: 'crm',
      title: 'CRM',
      description: 'Leads from the website and imports, worked through the pipeline.',
      audience: 'Staff',
      summary:
        'Leads from the website API and CSV imports, a pipeline board, a timeline per lead, and exports.',
      icon: 'M3 5.5h14v9H3zM3 6l7 5 7-5',
      requires: 'staff',
      links: [
        { label: 'Dashboard', to: '/crm' },
        { label: 'Leads', to: '/crm/leads' },
        { label: 'Pipeline', to: '/crm/board' },
        { label: 'Import', to: '/crm/import' },
      ],
      stats: () => import('./home-stats').then((m) => m.crmStats()),
    },
    {
      id: 'newsletter',
      title: 'Newsletter',
      description: 'Subscriptions with double opt-in and one-click unsubscribe.',
      audience: 'Staff',
      summary: 'Sign-ups confirmed by email (double opt-in), one-click unsubscribe and an export.',
      icon: 'M4 3.5h12v13H4zM7 7h6M7 10h6M7 13h3',
      requires: 'staff',
      links: [{ label: 'Subscribers', to: '/crm/newsletter' }],
      stats: () => import('./home-stats').then((m) => m.newsletterStats()),
    },
  ],
} satisfies WebModule;
