import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ActionDialog from './ActionDialog.vue';

// The API is the browser's fetch, answered here: the dialog's part is what it asks and shows.
const fetchMock = vi.fn<typeof fetch>();
const json = (body: object, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const run = (state: string, done: number) => ({
  id: '6f1c2a4e-8d3b-4c55-9a0e-2b7f1d9e3c11',
  resource: 'leads',
  action: 'mark-lost',
  state,
  total: 500,
  done,
  failed: 0,
  errors: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  finishedAt: state === 'done' ? '2026-01-01T00:00:01.000Z' : null,
});
const bodies = () =>
  fetchMock.mock.calls.map(([, init]) =>
    init?.body ? (JSON.parse(String(init.body)) as object) : null,
  );

beforeEach(() => {
  setActivePinia(createPinia());
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});
afterEach(() => {
  document.body.innerHTML = '';
});

function mountDialog(destructive: boolean) {
  return mount(ActionDialog, {
    props: {
      open: true,
      resource: 'leads',
      action: { name: 'mark-lost', label: 'Mark lost', destructive, bulk: true, row: true },
      selection: { all: { filters: { source: 'fair' } } },
    },
    attachTo: document.body,
  });
}

describe('ActionDialog', () => {
  it('counts first, asks a destructive action for the count typed back, then sends it as confirm', async () => {
    fetchMock
      .mockResolvedValueOnce(json({ kind: 'preview', count: 3 }))
      .mockResolvedValueOnce(json({ kind: 'done', done: 3, failed: 0, errors: [] }));
    const wrapper = mountDialog(true);
    await flushPromises();
    const body = document.body;
    expect(body.querySelector('[data-testid="admin-action-count"]')?.textContent).toMatch(/3 rows/);
    const runButton = body.querySelector<HTMLButtonElement>('[data-testid="admin-action-run"]')!;
    expect(runButton.disabled).toBe(true);
    const input = body.querySelector<HTMLInputElement>('[data-testid="admin-action-confirm"]')!;
    input.value = '2';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    expect(runButton.disabled).toBe(true);
    input.value = '3';
    input.dispatchEvent(new Event('input'));
    await flushPromises();
    expect(runButton.disabled).toBe(false);
    runButton.click();
    await flushPromises();
    expect(bodies()).toEqual([
      { all: { filters: { source: 'fair' } }, preview: true },
      { all: { filters: { source: 'fair' } }, confirm: 3 },
    ]);
    expect(body.querySelector('[data-testid="admin-action-result"]')?.textContent).toMatch(
      /Done: 3/,
    );
    expect(wrapper.emitted('done')).toHaveLength(1);
    wrapper.unmount();
  });

  it('follows a queued run with a progress bar until it is done', async () => {
    vi.useFakeTimers();
    try {
      fetchMock
        .mockResolvedValueOnce(json({ kind: 'preview', count: 500 }))
        .mockResolvedValueOnce(json({ run: run('queued', 0) }, 202))
        .mockResolvedValueOnce(json(run('running', 250)))
        .mockResolvedValueOnce(json(run('done', 500)));
      const wrapper = mountDialog(false);
      await flushPromises();
      document.body.querySelector<HTMLButtonElement>('[data-testid="admin-action-run"]')!.click();
      await flushPromises();
      const bar = () => document.body.querySelector('[role="progressbar"]');
      expect(bar()?.getAttribute('aria-valuenow')).toBe('50');
      await vi.advanceTimersByTimeAsync(600);
      await flushPromises();
      expect(bar()).toBeNull();
      expect(
        document.body.querySelector('[data-testid="admin-action-result"]')?.textContent,
      ).toMatch(/Done: 500/);
      expect(String(fetchMock.mock.calls[3]?.[0])).toBe(
        `/api/v1/admin/action-runs/${run('done', 0).id}`,
      );
      wrapper.unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});
