import type { WebModule } from '../../web-module';

// Signing up and in, email confirmation, password reset and the first admin's setup. No menu
// entry: the account links in the top bar (AccountNav.vue) lead here.
export default {
  name: 'auth',
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('./LoginPage.vue'),
      meta: { title: 'Sign in', guestOnly: true },
    },
    {
      path: '/signup',
      name: 'signup',
      component: () => import('./SignupPage.vue'),
      meta: { title: 'Create account', guestOnly: true },
    },
    {
      path: '/verify-email',
      name: 'verify-email',
      component: () => import('./VerifyEmailPage.vue'),
      meta: { title: 'Confirm email' },
    },
    {
      path: '/forgot-password',
      name: 'forgot-password',
      component: () => import('./ForgotPasswordPage.vue'),
      meta: { title: 'Reset password' },
    },
    {
      path: '/reset-password',
      name: 'reset-password',
      component: () => import('./ResetPasswordPage.vue'),
      meta: { title: 'Choose a new password' },
    },
    {
      path: '/setup',
      name: 'setup',
      component: () => import('./SetupPage.vue'),
      meta: { title: 'Set up Bastion' },
    },
  ],
} satisfies WebModule;
