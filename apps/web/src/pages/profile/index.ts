import type { WebModule } from '../../web-module';

// One's own account: profile, password and email, sessions, API tokens.
export default {
  name: 'profile',
  routes: [
    {
      path: '/profile',
      name: 'profile',
      component: () => import('./ProfilePage.vue'),
      meta: { title: 'Your account', requires: 'auth' },
    },
  ],
  nav: [{ label: 'Account', to: '/profile', requires: 'auth' }],
} satisfies WebModule;
