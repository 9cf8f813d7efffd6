import type { RouteLocationRaw, RouteRecordRaw } from 'vue-router';

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

/** A live figure on a home-page card, optionally leading somewhere (e.g. a filtered list). */
export interface HomeStat {
  label: string;
  value: number;
  to?: RouteLocationRaw;
}

/**
 * A module's card on the home page: visitors see what it is and for whom; signed-in people who
 * may use it see live figures and links. `stats` should import its API code lazily
 * (`() => import('./home-stats').then((m) => m.crmStats())`), so the landing page never loads it.
 */
export interface HomeCard {
  /** Unique across modules; `data-testid="module-<id>"` on the card. */
  id: string;
  title: string;
  /** One line for the signed-in card. */
  description: string;
  /** For visitors: who may use it, in words ("Everyone", "Staff"), and what it does. */
  audience: string;
  summary: string;
  /** A 20×20 stroke icon (an SVG path). */
  icon: string;
  requires?: NavRequirement;
  links: { label: string; to: RouteLocationRaw }[];
  stats: () => Promise<HomeStat[]>;
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
  /** Its cards on the home page, when it has something to show there. */
  home?: HomeCard[];
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
    /** Pages with a sidebar and wide tables (the admin): the layout gives them more width. */
    wide?: boolean;
  }
}
