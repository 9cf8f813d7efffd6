import type { User } from '@bastion/contract';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { anonymousViewer, type Viewer } from '../navigation';
import { accountsApi } from '../pages/auth/accounts-api';

/**
 * Who is signed in, as the server says (`GET /api/v1/auth/state`). The session itself lives in
 * an HttpOnly cookie the app never sees; nothing about it is kept in browser storage.
 */
export const useAuthStore = defineStore('auth', () => {
  const user = ref<User | null>(null);
  const signupEnabled = ref(true);
  const googleEnabled = ref(false);
  const setupRequired = ref(false);
  /** ORGANIZATION_NAME on the server: who runs this Bastion (titles, wording); null when unset. */
  const organizationName = ref<string | null>(null);
  const loaded = ref(false);
  let loading: Promise<void> | undefined;

  const viewer = computed<Viewer>(() =>
    user.value
      ? {
          authenticated: true,
          staff: user.value.role === 'staff' || user.value.role === 'admin',
          admin: user.value.role === 'admin',
        }
      : anonymousViewer,
  );

  async function refresh() {
    const state = await accountsApi.state();
    user.value = state.user;
    signupEnabled.value = state.signupEnabled;
    googleEnabled.value = state.googleEnabled;
    setupRequired.value = state.setupRequired;
    organizationName.value = state.organizationName;
    loaded.value = true;
  }

  /** Loads the state once (route guards call this before every navigation). */
  function ensureLoaded(): Promise<void> {
    if (loaded.value) return Promise.resolve();
    loading ??= refresh().finally(() => (loading = undefined));
    return loading;
  }

  /** `unlockToken`: from the link mailed to the owner of a slowed-down account. */
  async function login(email: string, password: string, unlockToken?: string) {
    user.value = await accountsApi.login(email, password, unlockToken);
    setupRequired.value = false;
  }

  async function logout() {
    try {
      await accountsApi.logout();
    } finally {
      user.value = null;
    }
  }

  function setUser(next: User | null) {
    user.value = next;
  }

  return {
    user,
    viewer,
    signupEnabled,
    googleEnabled,
    setupRequired,
    organizationName,
    loaded,
    refresh,
    ensureLoaded,
    login,
    logout,
    setUser,
  };
});
