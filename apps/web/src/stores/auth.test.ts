import type { AuthState, User } from '@bastion/contract';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { safeNext } from '../lib/safe-next';
import { useAuthStore } from './auth';

const staff: User = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'staff@example.test',
  displayName: 'Staff',
  avatarUrl: null,
  bio: '',
  role: 'staff',
  emailVerified: true,
  hasPassword: true,
  createdAt: '2026-01-01T00:00:00.000Z',
};

const fetchMock = vi.fn<typeof fetch>();
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  setActivePinia(createPinia());
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

describe('auth store', () => {
  it('loads the state once and derives what the viewer may see from the role', async () => {
    const state: AuthState = {
      user: staff,
      signupEnabled: false,
      googleEnabled: true,
      setupRequired: false,
      organizationName: 'Exit Three',
    };
    fetchMock.mockResolvedValue(json(state));
    const auth = useAuthStore();
    await Promise.all([auth.ensureLoaded(), auth.ensureLoaded()]);
    await auth.ensureLoaded();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(String(fetchMock.mock.calls[0]![0])).toBe('/api/v1/auth/state');
    expect(auth.viewer).toEqual({ authenticated: true, staff: true, admin: false });
    expect([auth.signupEnabled, auth.googleEnabled]).toEqual([false, true]);
    expect(auth.organizationName).toBe('Exit Three');
  });

  it('forgets the user on logout even when the server call fails', async () => {
    const auth = useAuthStore();
    auth.setUser(staff);
    fetchMock.mockResolvedValue(
      json({ error: { code: 'x', message: 'down', requestId: 'r' } }, 503),
    );
    await expect(auth.logout()).rejects.toThrow();
    expect(auth.user).toBeNull();
    expect(auth.viewer.authenticated).toBe(false);
  });
});

describe('safeNext', () => {
  it('accepts app paths only, never another origin', () => {
    expect(safeNext('/profile?tab=1')).toBe('/profile?tab=1');
    for (const value of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      42,
      undefined,
    ]) {
      expect(safeNext(value)).toBeUndefined();
    }
  });
});
