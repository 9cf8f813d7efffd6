// The app's navigation, in one list: a module adds its entry here and the layout shows it to
// the people allowed to see it.

export type NavRequirement = 'auth' | 'staff' | 'admin';

export interface NavItem {
  label: string;
  /** An app route, or a path served by the API server when `external` is set. */
  to: string;
  requires?: NavRequirement;
  /** Served outside the SPA (e.g. `/api/docs`): rendered as a plain link, not a RouterLink. */
  external?: boolean;
}

export const navItems: NavItem[] = [
  { label: 'Home', to: '/' },
  { label: 'Jobs', to: '/jobs', requires: 'staff' },
  { label: 'CRM', to: '/crm', requires: 'staff' },
  { label: 'API docs', to: '/api/docs', external: true },
  { label: 'Account', to: '/profile', requires: 'auth' },
  // Users, API keys, audit log and mail outbox: tabs inside the admin area (AdminTabs.vue).
  { label: 'Admin', to: '/admin/users', requires: 'admin' },
];

/** What the current visitor may see; derived from the session by the auth store (stores/auth.ts). */
export interface Viewer {
  authenticated: boolean;
  staff: boolean;
  admin: boolean;
}

export const anonymousViewer: Viewer = { authenticated: false, staff: false, admin: false };

export function isNavItemVisible(item: NavItem, viewer: Viewer): boolean {
  switch (item.requires) {
    case undefined:
      return true;
    case 'auth':
      return viewer.authenticated;
    case 'staff':
      return viewer.staff || viewer.admin;
    case 'admin':
      return viewer.admin;
  }
}
