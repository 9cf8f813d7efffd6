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
} satisfies WebModule;
