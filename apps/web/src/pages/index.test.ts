import { describe, expect, it } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { meetsRequirement, navItems, type NavRequirement, type Viewer } from '../navigation';
import { mayOpen, routes } from '../router';
import { webModules } from '.';

const router = createRouter({ history: createMemoryHistory(), routes });
/** Every page's path, with a sample value for each parameter. */
const pagePaths = router
  .getRoutes()
  .filter((record) => record.components && !record.redirect && record.name !== 'not-found')
  .map((record) => record.path.replace(/:\w+(\([^)]*\))?/g, '1'));

const viewerMeeting: Record<NavRequirement, Viewer> = {
  auth: { authenticated: true, staff: false, admin: false },
  staff: { authenticated: true, staff: true, admin: false },
  admin: { authenticated: true, staff: true, admin: true },
};
const weaker: Record<NavRequirement, Viewer> = {
  auth: { authenticated: false, staff: false, admin: false },
  staff: viewerMeeting.auth,
  admin: viewerMeeting.staff,
};

describe('the web module manifest', () => {
  it('gives every module a distinct name and every route a distinct name and path', () => {
    const names = webModules.map((module) => module.name);
    expect(new Set(names).size).toBe(names.length);
    const records = router.getRoutes();
    const routeNames = records.map((record) => record.name).filter(Boolean);
    expect(new Set(routeNames).size).toBe(routeNames.length);
    expect(new Set(records.map((record) => record.path)).size).toBe(records.length);
  });

  it('builds the menu from the modules, in the order of pages/index.ts', () => {
    expect(navItems.map((item) => item.label)).toEqual([
      'Home',
      'Jobs',
      'CRM',
      'Scans',
      'API docs',
      'Account',
      'Admin',
    ]);
    for (const item of navItems.filter((entry) => !entry.external)) {
      expect(router.resolve(item.to).name, item.to).not.toBe('not-found');
    }
  });

  // The menu hides an entry from people who may not use it; the pages of its section must
  // refuse them too, or a typed URL opens what the menu hides.
  it('guards every page of a section at least as strictly as its menu entry', () => {
    for (const item of navItems.filter((entry) => entry.requires && !entry.external)) {
      const requires = item.requires!;
      const section = `/${item.to.split('/')[1]}`;
      const pages = pagePaths.filter((path) => path === section || path.startsWith(`${section}/`));
      expect(pages.length, section).toBeGreaterThan(0);
      for (const path of pages) {
        const to = router.resolve(path);
        expect(mayOpen(to, weaker[requires]), `${path} for less than ${requires}`).toBe(false);
        expect(mayOpen(to, viewerMeeting[requires]), `${path} for ${requires}`).toBe(true);
      }
    }
    expect(meetsRequirement(undefined, weaker.auth)).toBe(true);
  });
});
