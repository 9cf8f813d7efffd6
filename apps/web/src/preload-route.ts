import type { Router } from 'vue-router';

/**
 * Starts downloading the page chunks of `path` now. Route guards wait for the auth state before
 * vue-router loads a lazy page, so on a first visit the page's chunk would only be requested
 * after that answer; fetched in parallel, it is there when the guards let the navigation through.
 * vue-router's own call of the same loader then gets the same, already settled, module.
 */
export function preloadRouteComponents(router: Router, path: string): void {
  for (const record of router.resolve(path).matched) {
    for (const component of Object.values(record.components ?? {})) {
      // Lazy pages are loader functions; a component object is already loaded.
      if (typeof component === 'function' && !('setup' in component) && !('render' in component)) {
        void (component as () => Promise<unknown>)().catch(() => undefined);
      }
    }
  }
}
