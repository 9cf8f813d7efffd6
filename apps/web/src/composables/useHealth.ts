import { healthResponseSchema, type HealthResponse } from '@bastion/contract';
import { computed, onMounted, onScopeDispose, ref, shallowRef } from 'vue';
import { ApiError, api } from '../api/client';
import type { Tone } from '../components/types';

export type HealthState = 'loading' | 'operational' | 'degraded' | 'unreachable';

export function healthState(health: HealthResponse | null, failed: boolean): HealthState {
  if (failed) return 'unreachable';
  if (!health) return 'loading';
  return health.status === 'ok' && health.database === 'healthy' ? 'operational' : 'degraded';
}

export const healthLabels: Record<HealthState, { label: string; tone: Tone }> = {
  loading: { label: 'Checking', tone: 'neutral' },
  operational: { label: 'Operational', tone: 'success' },
  degraded: { label: 'Degraded', tone: 'warning' },
  unreachable: { label: 'Unreachable', tone: 'danger' },
};

export interface UseHealthOptions {
  intervalMs?: number;
  timeoutMs?: number;
}

/** Polls `/api/health` while the component is mounted (and the tab is visible). */
export function useHealth({ intervalMs = 10_000, timeoutMs = 5_000 }: UseHealthOptions = {}) {
  const health = shallowRef<HealthResponse | null>(null);
  const error = shallowRef<ApiError | null>(null);
  const checkedAt = shallowRef<Date | null>(null);
  const refreshing = ref(false);
  const state = computed(() => healthState(health.value, error.value !== null));

  let timer: ReturnType<typeof setTimeout> | undefined;
  let controller: AbortController | undefined;
  let active = false;

  async function refresh() {
    clearTimeout(timer);
    controller?.abort();
    const current = new AbortController();
    controller = current;
    const timeout = setTimeout(
      () => current.abort(new DOMException('Health check timed out', 'TimeoutError')),
      timeoutMs,
    );
    refreshing.value = true;
    try {
      // 503 carries a regular health report: the server is up, something it needs is not.
      health.value = await api.get('/health', {
        schema: healthResponseSchema,
        acceptStatus: [503],
        signal: current.signal,
      });
      error.value = null;
    } catch (cause) {
      if (current !== controller) return; // Superseded by a newer check.
      health.value = null;
      error.value =
        cause instanceof ApiError ? cause : new ApiError(0, 'NETWORK_ERROR', String(cause));
    } finally {
      clearTimeout(timeout);
      if (current === controller) {
        refreshing.value = false;
        checkedAt.value = new Date();
        schedule();
      }
    }
  }

  function schedule() {
    if (active) timer = setTimeout(tick, intervalMs);
  }

  function tick() {
    // Hidden tabs skip the request; the check resumes when the tab is shown again.
    if (document.visibilityState === 'hidden') schedule();
    else void refresh();
  }

  function onVisibilityChange() {
    const stale = !checkedAt.value || Date.now() - checkedAt.value.getTime() >= intervalMs;
    if (document.visibilityState === 'visible' && stale) void refresh();
  }

  onMounted(() => {
    active = true;
    document.addEventListener('visibilitychange', onVisibilityChange);
    void refresh();
  });

  onScopeDispose(() => {
    active = false;
    clearTimeout(timer);
    controller?.abort();
    controller = undefined;
    document.removeEventListener('visibilitychange', onVisibilityChange);
  });

  return { health, error, state, checkedAt, refreshing, refresh };
}
