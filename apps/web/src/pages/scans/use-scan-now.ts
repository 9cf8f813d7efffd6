import type { ScanSummary } from '@bastion/contract';
import { getCurrentInstance, onBeforeUnmount, ref, shallowRef, type Ref } from 'vue';
import { ApiError, describeFailure } from '../../api/client';
import { isDone, scansApi } from './scans-api';

/** How often a running scan is asked for its progress. */
export const POLL_MS = 750;

/**
 * "Scan now" for one target at a time: starts the scan, polls its detail (progress percent and
 * stage) until it is done, then hands the finished scan to `onDone`. A cooldown (429) becomes a
 * countdown from the API's Retry-After instead of an error. `cached`: the API answered with a
 * result from the last 24 hours instead of scanning (only `force` scans regardless).
 */
export function useScanNow(onDone: (scan: ScanSummary, cached: boolean) => void) {
  const scan = shallowRef<ScanSummary | null>(null);
  const targetId = ref<string | null>(null);
  const error = ref('');
  const waitSeconds = ref(0);
  const starting = ref(false);
  let poll: ReturnType<typeof setTimeout> | undefined;
  let countdown: ReturnType<typeof setInterval> | undefined;
  let stopped = false;

  function stop() {
    clearTimeout(poll);
    clearInterval(countdown);
  }

  function startCountdown(seconds: number) {
    clearInterval(countdown);
    waitSeconds.value = seconds;
    countdown = setInterval(() => {
      waitSeconds.value = Math.max(0, waitSeconds.value - 1);
      if (waitSeconds.value === 0) clearInterval(countdown);
    }, 1000);
  }

  async function follow(id: string) {
    try {
      const current = await scansApi.getScan(id);
      if (stopped) return;
      scan.value = current;
      if (isDone(current.state)) {
        targetId.value = null;
        onDone(current, false);
        return;
      }
    } catch (cause) {
      if (stopped) return;
      // One failed poll (a restart, a network blip) is not the end of the scan: keep asking.
      if (!(cause instanceof ApiError) || cause.status === 0 || cause.status >= 500) {
        error.value = '';
      } else {
        error.value = describeFailure(cause);
        targetId.value = null;
        return;
      }
    }
    poll = setTimeout(() => void follow(id), POLL_MS);
  }

  async function start(id: string, force = false) {
    stop();
    error.value = '';
    waitSeconds.value = 0;
    scan.value = null;
    targetId.value = id;
    starting.value = true;
    try {
      const started = await scansApi.scanNow(id, force);
      scan.value = started;
      // A new scan is always queued first: one already done is the API's cached answer.
      if (isDone(started.state)) {
        targetId.value = null;
        onDone(started, true);
      } else {
        poll = setTimeout(() => void follow(started.id), POLL_MS);
      }
    } catch (cause) {
      targetId.value = null;
      if (cause instanceof ApiError && cause.status === 429) {
        startCountdown(cause.retryAfter ?? 60);
        error.value = cause.message;
      } else {
        error.value = describeFailure(cause);
      }
    } finally {
      starting.value = false;
    }
  }

  if (getCurrentInstance()) {
    onBeforeUnmount(() => {
      stopped = true;
      stop();
    });
  }

  return { scan, targetId, error, waitSeconds, starting, start };
}

/** What `ScanProgress` shows: the scan followed, which target runs, why one could not start. */
export interface ScanProgressState {
  scan: Readonly<Ref<ScanSummary | null>>;
  targetId: Readonly<Ref<string | null>>;
  error: Readonly<Ref<string>>;
  waitSeconds: Readonly<Ref<number>>;
}
