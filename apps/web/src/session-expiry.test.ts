import type { User } from '@bastion/contract';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defineComponent } from 'vue';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { api } from './api/client';
import { installSessionExpiry } from './session-expiry';
import { useAuthStore } from './stores/auth';
import { useToastStore } from './stores/toasts';

const admin: User = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'admin@example.test',
  displayName: 'Admin',
  avatarUrl: null,
  bio: '',
  role: 'admin',
  emailVerified: true,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const fetchMock = vi.fn<typeof fetch>();
const failure = (status: number, code: string) =>
  new Response(JSON.stringify({ error: { code, message: code, requestId: 'r' } }), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

const Blank = defineComponent({ render: () => null });
let router: Router;
let uninstall: () => void;

beforeEach(async () => {
  setActivePinia(createPinia());
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'home', component: Blank },
      { path: '/login', name: 'login', component: Blank, meta: { guestOnly: true } },
      { path: '/admin/api-keys', name: 'admin-api-keys', component: Blank },
    ],
  });
  uninstall = installSessionExpiry(router);
  await router.push('/admin/api-keys?page=2');
});

afterEach(() => uninstall());

describe('session expiry', () => {
  it('forgets the user, says so once and sends them to sign in, back to where they were', async () => {
    const auth = useAuthStore();
    auth.setUser(admin);
    fetchMock.mockImplementation(() => Promise.resolve(failure(401, 'unauthorized')));

    // A page firing several requests at once: one toast, one redirect.
    const results = await Promise.allSettled([api.get('/v1/a'), api.get('/v1/b')]);
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'));

    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(auth.user).toBeNull();
    expect(router.currentRoute.value.query.next).toBe('/admin/api-keys?page=2');
    expect(useToastStore().toasts.map((toast) => toast.title)).toEqual([
      'Your session has expired',
    ]);
  });

  it('does not redirect from the login page itself', async () => {
    await router.push('/login?next=/admin/api-keys');
    const auth = useAuthStore();
    auth.setUser(admin);
    fetchMock.mockResolvedValue(failure(401, 'unauthorized'));

    await expect(api.get('/v1/a')).rejects.toMatchObject({ status: 401 });

    expect(auth.user).toBeNull();
    expect(router.currentRoute.value.fullPath).toBe('/login?next=/admin/api-keys');
  });

  it('ignores a wrong password and 401s of a visitor who was not signed in', async () => {
    const auth = useAuthStore();
    fetchMock.mockResolvedValue(failure(401, 'unauthorized'));
    await expect(api.get('/v1/a')).rejects.toMatchObject({ status: 401 });

    auth.setUser(admin);
    fetchMock.mockResolvedValue(failure(401, 'invalid_credentials'));
    await expect(api.post('/v1/users/me/password')).rejects.toMatchObject({ status: 401 });

    expect(auth.user).toEqual(admin);
    expect(router.currentRoute.value.name).toBe('admin-api-keys');
    expect(useToastStore().toasts).toEqual([]);
  });

  it('leaves a 403 alone: the session is still valid', async () => {
    const auth = useAuthStore();
    auth.setUser(admin);
    fetchMock.mockResolvedValue(failure(403, 'forbidden'));
    await expect(api.get('/v1/a')).rejects.toMatchObject({ status: 403 });
    expect(auth.user).toEqual(admin);
  });
});
