import { createRouter, createWebHistory } from 'vue-router';
import { pageTitle } from './lib/page-title';
import { isNavItemVisible, type NavRequirement } from './navigation';
import { useAuthStore } from './stores/auth';

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the browser tab as "<title> · <ORGANIZATION_NAME or Bastion>". */
    title?: string;
    /** Who may open the page; others go to the login page (or home when signed in). */
    requires?: NavRequirement;
    /** Sign-in pages: a signed-in user is sent to their profile instead. */
    guestOnly?: boolean;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/',
      name: 'home',
      component: () => import('./pages/HomePage.vue'),
      meta: { title: 'Home' },
    },
    {
      path: '/jobs',
      name: 'jobs',
      component: () => import('./pages/jobs/JobsDashboardPage.vue'),
      meta: { title: 'Jobs', requires: 'staff' },
    },
    {
      path: '/crm',
      name: 'crm',
      component: () => import('./pages/crm/LeadDashboardPage.vue'),
      meta: { title: 'CRM' },
    },
    {
      path: '/crm/leads',
      name: 'crm-leads',
      component: () => import('./pages/crm/LeadsPage.vue'),
      meta: { title: 'Leads' },
    },
    {
      path: '/crm/leads/:id(\\d+)',
      name: 'crm-lead',
      component: () => import('./pages/crm/LeadDetailPage.vue'),
      meta: { title: 'Lead' },
    },
    {
      path: '/crm/board',
      name: 'crm-board',
      component: () => import('./pages/crm/LeadBoardPage.vue'),
      meta: { title: 'Pipeline' },
    },
    {
      path: '/crm/import',
      name: 'crm-import',
      component: () => import('./pages/crm/LeadImportPage.vue'),
      meta: { title: 'Import leads' },
    },
    {
      path: '/crm/newsletter',
      name: 'crm-newsletter',
      component: () => import('./pages/crm/NewsletterPage.vue'),
      meta: { title: 'Newsletter' },
    },
    {
      path: '/newsletter/confirm',
      name: 'newsletter-confirm',
      component: () => import('./pages/crm/NewsletterActionPage.vue'),
      props: { action: 'confirm' },
      meta: { title: 'Newsletter' },
    },
    {
      path: '/newsletter/unsubscribe',
      name: 'newsletter-unsubscribe',
      component: () => import('./pages/crm/NewsletterActionPage.vue'),
      props: { action: 'unsubscribe' },
      meta: { title: 'Unsubscribe' },
    },
    {
      path: '/login',
      name: 'login',
      component: () => import('./pages/auth/LoginPage.vue'),
      meta: { title: 'Sign in', guestOnly: true },
    },
    {
      path: '/signup',
      name: 'signup',
      component: () => import('./pages/auth/SignupPage.vue'),
      meta: { title: 'Create account', guestOnly: true },
    },
    {
      path: '/verify-email',
      name: 'verify-email',
      component: () => import('./pages/auth/VerifyEmailPage.vue'),
      meta: { title: 'Confirm email' },
    },
    {
      path: '/forgot-password',
      name: 'forgot-password',
      component: () => import('./pages/auth/ForgotPasswordPage.vue'),
      meta: { title: 'Reset password' },
    },
    {
      path: '/reset-password',
      name: 'reset-password',
      component: () => import('./pages/auth/ResetPasswordPage.vue'),
      meta: { title: 'Choose a new password' },
    },
    {
      path: '/setup',
      name: 'setup',
      component: () => import('./pages/auth/SetupPage.vue'),
      meta: { title: 'Set up Bastion' },
    },
    {
      path: '/profile',
      name: 'profile',
      component: () => import('./pages/profile/ProfilePage.vue'),
      meta: { title: 'Your account', requires: 'auth' },
    },
    { path: '/admin', redirect: '/admin/users' },
    {
      path: '/admin/users',
      name: 'admin-users',
      component: () => import('./pages/admin/UsersPage.vue'),
      meta: { title: 'Users', requires: 'admin' },
    },
    {
      path: '/admin/mail',
      name: 'admin-mail',
      component: () => import('./pages/admin/MailOutboxPage.vue'),
      meta: { title: 'Mail outbox', requires: 'admin' },
    },
    {
      path: '/admin/api-keys',
      name: 'admin-api-keys',
      component: () => import('./pages/admin/ApiKeysPage.vue'),
      meta: { title: 'API keys', requires: 'admin' },
    },
    {
      path: '/admin/audit',
      name: 'admin-audit',
      component: () => import('./pages/admin/AuditLogPage.vue'),
      meta: { title: 'Audit log', requires: 'admin' },
    },
    {
      path: '/:pathMatch(.*)*',
      name: 'not-found',
      component: () => import('./pages/NotFoundPage.vue'),
      meta: { title: 'Page not found' },
    },
  ],
  scrollBehavior(to, _from, savedPosition) {
    if (savedPosition) return savedPosition;
    if (to.hash) return { el: to.hash, top: 80, behavior: 'smooth' };
    return { top: 0 };
  },
});

// Route guards: pages declare `meta.requires`; the API enforces the same rules on every call,
// so this only spares people pages they cannot use.
router.beforeEach(async (to) => {
  const auth = useAuthStore();
  try {
    await auth.ensureLoaded();
  } catch {
    return true; // API unreachable: let the page show its own error state.
  }
  if (to.meta.guestOnly && auth.user) return { name: 'profile' };
  const requires = to.meta.requires;
  if (requires && !isNavItemVisible({ label: '', to: '', requires }, auth.viewer)) {
    return auth.user ? { name: 'home' } : { name: 'login', query: { next: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  document.title = pageTitle(to.meta.title, useAuthStore().organizationName);
});

// After a deploy, an open tab may ask for a page chunk that no longer exists: load it afresh.
router.onError((error: unknown, to) => {
  const message = error instanceof Error ? error.message : '';
  if (/dynamically imported module|Importing a module script failed/i.test(message)) {
    window.location.assign(to.fullPath);
  }
});
