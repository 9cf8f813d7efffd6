import {
  createRouter,
  createWebHistory,
  type RouteLocationNormalized,
  type RouteRecordRaw,
  type RouterHistory,
} from 'vue-router';
import { pageTitle } from './lib/page-title';
import { meetsRequirement, type Viewer } from './navigation';
import { webModules } from './pages';
import { useAuthStore } from './stores/auth';

/** Every module's routes (pages/index.ts), then the catch-all for unknown paths. */
export const routes: RouteRecordRaw[] = [
  ...webModules.flatMap((module) => module.routes),
  {
    path: '/:pathMatch(.*)*',
    name: 'not-found',
    component: () => import('./pages/NotFoundPage.vue'),
    meta: { title: 'Page not found' },
  },
];

/** Whether `viewer` meets every `meta.requires` on the way to `to` (parents and the page). */
export function mayOpen(to: Pick<RouteLocationNormalized, 'matched'>, viewer: Viewer): boolean {
  return to.matched.every((record) => meetsRequirement(record.meta.requires, viewer));
}

export function createAppRouter(history: RouterHistory = createWebHistory()) {
  const router = createRouter({
    history,
    routes,
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
    if (!mayOpen(to, auth.viewer)) {
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

  return router;
}
