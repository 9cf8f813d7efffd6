import type { Router } from 'vue-router';
import { onUnauthorized } from './api/client';
import { safeNext } from './lib/safe-next';
import { useAuthStore } from './stores/auth';
import { useToastStore } from './stores/toasts';

/**
 * When the API answers 401 to a signed-in tab (the session expired, was revoked elsewhere or the
 * role changed), forget the user and send them to sign in, coming back here afterwards.
 *
 * Only a tab that believed it was signed in reacts: an anonymous visitor's 401 is the route
 * guard's business, and the login page's own 401s (wrong password) carry another error code.
 * Forgetting the user first also makes the burst of 401s from a page's parallel requests
 * produce one toast and one redirect.
 */
export function installSessionExpiry(router: Router): () => void {
  return onUnauthorized(() => {
    const auth = useAuthStore();
    if (!auth.user) return;
    auth.setUser(null);
    useToastStore().info('Your session has expired', 'Sign in again to continue.');
    const current = router.currentRoute.value;
    if (current.meta.guestOnly) return; // Already on a sign-in page: no redirect loop.
    const next = safeNext(current.fullPath);
    void router.push({ name: 'login', query: next && next !== '/' ? { next } : {} });
  });
}
