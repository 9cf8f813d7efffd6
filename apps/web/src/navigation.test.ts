import { describe, expect, it } from 'vitest';
import { anonymousViewer, isNavItemVisible, type NavItem } from './navigation';

const item = (requires?: NavItem['requires']): NavItem => ({ label: 'X', to: '/x', requires });

describe('navigation', () => {
  it('shows public items to everyone and hides the others from anonymous visitors', () => {
    expect(isNavItemVisible(item(), anonymousViewer)).toBe(true);
    expect(isNavItemVisible(item('auth'), anonymousViewer)).toBe(false);
  });

  it('shows staff items to staff and admins, admin items to admins only', () => {
    const staff = { authenticated: true, staff: true, admin: false };
    const admin = { authenticated: true, staff: false, admin: true };
    expect(isNavItemVisible(item('staff'), staff)).toBe(true);
    expect(isNavItemVisible(item('staff'), admin)).toBe(true);
    expect(isNavItemVisible(item('admin'), staff)).toBe(false);
    expect(isNavItemVisible(item('admin'), admin)).toBe(true);
  });
});
