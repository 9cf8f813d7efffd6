import type { User, UserRole } from '@bastion/contract';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { anonymousViewer, type Viewer } from './navigation';
import { createAppRouter, mayOpen } from './router';
import { useAuthStore } from './stores/auth';

const user = (role: UserRole): User => ({
  id: '00000000-0000-4000-8000-000000000001',
  email: `${role}@example.test`,
  displayName: role,
  avatarUrl: null,
  bio: '',
  role,
  emailVerified: true,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
});

const viewers: Record<'anonymous' | UserRole, Viewer> = {
  anonymous: anonymousViewer,
  user: { authenticated: true, staff: false, admin: false },
  staff: { authenticated: true, staff: true, admin: false },
  admin: { authenticated: true, staff: true, admin: true },
};

const staffPages = [
  '/jobs',
  '/crm',
  '/crm/leads',
  '/crm/leads/7',
  '/crm/board',
  '/crm/import',
  '/crm/newsletter',
];
const adminPages = ['/admin', '/admin/users', '/admin/leads/7', '/admin/api-keys/new'];
const publicPages = ['/', '/newsletter/confirm', '/newsletter/unsubscribe', '/login', '/setup'];

/** The app's router, with the auth store saying `role` is signed in (or nobody). */
function routerFor(role: 'anonymous' | UserRole) {
  setActivePinia(createPinia());
  const auth = useAuthStore();
  auth.setUser(role === 'anonymous' ? null : user(role));
  auth.loaded = true;
  return createAppRouter(createMemoryHistory());
}

describe('router guards', () => {
  beforeEach(() => setActivePinia(createPinia()));

  it('keeps the CRM and jobs pages for staff: a plain user opening one is sent home', async () => {
    const router = routerFor('user');
    for (const path of ['/crm/leads', '/crm/leads/7', '/crm']) {
      await router.push(path);
      expect(router.currentRoute.value.name, path).toBe('home');
    }
    for (const path of staffPages) {
      expect(mayOpen(router.resolve(path), viewers.user), path).toBe(false);
    }
  });

  it('lets staff open them, and sends a visitor to sign in, coming back after', async () => {
    const staff = routerFor('staff');
    await staff.push('/crm/leads?status=new');
    expect(staff.currentRoute.value.name).toBe('crm-leads');

    const visitor = routerFor('anonymous');
    await visitor.push('/crm/board');
    expect(visitor.currentRoute.value.name).toBe('login');
    expect(visitor.currentRoute.value.query.next).toBe('/crm/board');
  });

  it('keeps the generic admin for staff (the API decides which lists each one sees)', async () => {
    const router = routerFor('user');
    for (const path of adminPages) {
      expect(mayOpen(router.resolve(path), viewers.user), path).toBe(false);
      expect(mayOpen(router.resolve(path), viewers.staff), path).toBe(true);
      expect(mayOpen(router.resolve(path), viewers.admin), path).toBe(true);
    }
    expect(router.resolve('/admin/users').name).toBe('admin-list');
    expect(router.resolve('/admin/leads/7').name).toBe('admin-record');
    expect(router.resolve('/admin/leads/new').name).toBe('admin-new');
    await router.push('/admin/leads');
    expect(router.currentRoute.value.name).toBe('home');
  });

  it("sends the hand-built pages' old addresses to their generic lists", async () => {
    const router = routerFor('admin');
    await router.push('/admin/audit?action=x');
    expect(router.currentRoute.value.fullPath).toBe('/admin/audit-events?action=x');
    await router.push('/admin/mail');
    expect(router.currentRoute.value.fullPath).toBe('/admin/mail-outbox');
  });

  it('opens public pages to everyone and the account page to anyone signed in', () => {
    const router = routerFor('anonymous');
    for (const path of publicPages) {
      expect(mayOpen(router.resolve(path), anonymousViewer), path).toBe(true);
    }
    expect(mayOpen(router.resolve('/profile'), anonymousViewer)).toBe(false);
    expect(mayOpen(router.resolve('/profile'), viewers.user)).toBe(true);
    expect(router.resolve('/no/such/page').name).toBe('not-found');
  });

  it('sends a signed-in user away from the sign-in pages', async () => {
    const router = routerFor('user');
    await router.push('/login');
    expect(router.currentRoute.value.name).toBe('profile');
  });
});
