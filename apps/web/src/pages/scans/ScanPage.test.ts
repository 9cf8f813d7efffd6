import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import ScanPage from './ScanPage.vue';
import { POLL_MS } from './use-scan-now';

// A scan's page opened while the scan runs (from the target's list, or a scheduled scan): it
// shows the progress and follows the scan until the report is there.

const fetchMock = vi.fn<typeof fetch>();
const json = (body: object) =>
  new Response(JSON.stringify(body), { headers: { 'Content-Type': 'application/json' } });
const SCAN_ID = '6f1c2a4e-8d3b-4c55-9a0e-2b7f1d9e3c11';
const scan = (state: 'running' | 'finished', progress: number) => ({
  id: SCAN_ID,
  targetId: '0b9d7a62-4c1e-4f7a-9a55-2d3c4b5a6e7f',
  state,
  trigger: 'schedule',
  grade: state === 'finished' ? 'B' : null,
  score: state === 'finished' ? 70 : null,
  extraGrade: null,
  extraScore: null,
  failed: 0,
  error: null,
  progress,
  stage: state === 'running' ? 'Probing TLS 1.0' : null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  finishedAt: state === 'finished' ? '2026-01-01T00:00:02.000Z' : null,
  report:
    state === 'finished'
      ? {
          url: 'https://shop.example/',
          algorithmVersion: 6,
          grade: 'B',
          score: 70,
          extra: { grade: null, score: null },
          findings: [],
          error: null,
          startedAt: '2026-01-01T00:00:00.000Z',
          durationMs: 2000,
        }
      : null,
});

beforeEach(() => {
  setActivePinia(createPinia());
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('ScanPage', () => {
  it('follows a running scan until its report arrives', async () => {
    fetchMock
      .mockResolvedValueOnce(json(scan('running', 40)))
      .mockResolvedValueOnce(json(scan('running', 80)))
      .mockResolvedValueOnce(json(scan('finished', 100)));
    const router = createRouter({
      history: createMemoryHistory(),
      routes: [{ path: '/scans/results/:id', component: ScanPage }],
    });
    await router.push(`/scans/results/${SCAN_ID}`);
    const wrapper = mount(ScanPage, { global: { plugins: [router] } });
    await flushPromises();
    const bar = () => wrapper.find('[role="progressbar"]');
    expect(bar().attributes('aria-valuenow')).toBe('40');
    expect(wrapper.text()).toContain('Probing TLS 1.0');

    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(bar().attributes('aria-valuenow')).toBe('80');
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(bar().exists()).toBe(false);
    expect(wrapper.text()).toContain('Scan of https://shop.example/');
    // Done: no more asking.
    await vi.advanceTimersByTimeAsync(POLL_MS * 4);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    wrapper.unmount();
  });
});
