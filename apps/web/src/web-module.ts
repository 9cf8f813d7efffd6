import type { RouteRecordRaw } from 'vue-router';

// What a module of the web app declares about itself: its pages and its menu entries. Each page
// folder exports one (`pages/crm/index.ts`), pages/index.ts lists them, and the router and the
// layout are built from that list — nothing else needs to know the module exists.

/** Who may open a page or see a menu entry: signed in, staff (or admin), or admin only. */
export type NavRequirement = 'auth' | 'staff' | 'admin';

export interface NavItem {
  label: string;
  /** An app route, or a path served by the API server when `external` is set. */
  to: string;
  /** Hides the entry from people who may not open it; the routes say the same in `meta`. */
  requires?: NavRequirement;
  /** Served outside the SPA (e.g. `/api/docs`): rendered as a plain link, not a RouterLink. */
  external?: boolean;
}

export interface WebModule {
  /** Names the module in tests and messages, e.g. `crm`. */
  name: string;
  /**
   * Its routes, each page imported lazily (`component: () => import('./XPage.vue')`) so that it
   * loads in its own chunk, only when opened. Guard them with `meta.requires`; on a parent
   * route it covers every child.
   */
  routes: RouteRecordRaw[];
  /** Its entries in the main menu; the menu follows the order of pages/index.ts. */
  nav?: NavItem[];
}

declare module 'vue-router' {
  interface RouteMeta {
    /** Shown in the browser tab as "<title> · <ORGANIZATION_NAME or Bastion>". */
    title?: string;
    /**
     * Who may open the page; others go to the login page (or home when signed in). Every
     * requirement on the way to a page holds: a parent's cannot be loosened by a child.
     */
    requires?: NavRequirement;
    /** Sign-in pages: a signed-in user is sent to their profile instead. */
    guestOnly?: boolean;
  }
}
