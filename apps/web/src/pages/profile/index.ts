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
  home: [
    {
      id: 'accounts',
      title: 'Account',
      description: 'Profile, password, where you are signed in, and personal API tokens.',
      audience: 'Everyone',
      summary:
        'Sign-up with email confirmation, password reset, a list of your sessions to sign out of, and personal API tokens.',
      icon: 'M10 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM3.5 16.5a6.5 6.5 0 0 1 13 0',
      requires: 'auth',
      links: [{ label: 'Account settings', to: '/profile' }],
      stats: () => import('./home-stats').then((m) => m.accountStats()),
    },
  ],
} satisfies WebModule;
