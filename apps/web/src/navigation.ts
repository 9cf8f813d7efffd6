import { webModules } from './pages';
import type { NavItem, NavRequirement } from './web-module';

export type { NavItem, NavRequirement } from './web-module';

/** The main menu: every module's entries, in the order of pages/index.ts. */
export const navItems: readonly NavItem[] = webModules.flatMap((module) => module.nav ?? []);

/** What the current visitor may see; derived from the session by the auth store (stores/auth.ts). */
export interface Viewer {
  authenticated: boolean;
  staff: boolean;
  admin: boolean;
}

export const anonymousViewer: Viewer = { authenticated: false, staff: false, admin: false };

/** Whether `viewer` meets `requires` (no requirement: everyone). */
export function meetsRequirement(requires: NavRequirement | undefined, viewer: Viewer): boolean {
  switch (requires) {
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

export function isNavItemVisible(item: NavItem, viewer: Viewer): boolean {
  return meetsRequirement(item.requires, viewer);
}
