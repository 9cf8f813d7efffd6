import { describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { preloadRouteComponents } from './preload-route';

describe('preloadRouteComponents', () => {
  it("calls the lazy loader of the path's page, and no other", () => {
    const page = { render: () => null };
    const login = vi.fn(() => Promise.resolve({ default: page }));
    const home = vi.fn(() => Promise.resolve({ default: page }));
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [
        { path: '/', component: home },
        { path: '/login', component: login },
        { path: '/static', component: page },
      ],
    });
    preloadRouteComponents(router, '/login?next=/profile');
    expect(login).toHaveBeenCalledTimes(1);
    expect(home).not.toHaveBeenCalled();
    expect(() => preloadRouteComponents(router, '/static')).not.toThrow();
  });
});
