import type { WebModule } from '../web-module';

// The landing page for visitors and the overview for signed-in people.
export default {
  name: 'home',
  routes: [
    {
      path: '/',
      name: 'home',
      component: () => import('./HomePage.vue'),
      meta: { title: 'Home' },
    },
  ],
  nav: [{ label: 'Home', to: '/' }],
} satisfies WebModule;
