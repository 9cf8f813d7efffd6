import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineComponent, h, nextTick } from 'vue';
import { createMemoryHistory, createRouter, RouterView, type Router } from 'vue-router';
import { ApiError } from '../api/client';
import {
  useAsyncList,
  type AsyncList,
  type AsyncListOptions,
  type ListFilters,
  type ListPage,
  type ListRequest,
} from './useAsyncList';

interface Row {
  id: number;
}
type Filters = { search: string; status: string };

/** A loader whose answers the test gives, one call at a time. */
function controlledLoader<F extends ListFilters>() {
  const calls: {
    request: ListRequest<F>;
    resolve: (page: ListPage<Row>) => void;
    reject: (error: unknown) => void;
  }[] = [];
  const load = vi.fn(
    (request: ListRequest<F>) =>
      new Promise<ListPage<Row>>((resolve, reject) => calls.push({ request, resolve, reject })),
  );
  return { load, calls };
}

let wrapper: VueWrapper | undefined;
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  vi.useRealTimers();
});

async function mountList<F extends ListFilters>(
  options: AsyncListOptions<Row, F>,
  url = '/list',
): Promise<{ list: AsyncList<Row, F>; router: Router }> {
  let list: AsyncList<Row, F> | undefined;
  const Page = defineComponent({
    setup() {
      list = useAsyncList(options);
      return () => h('p', list!.items.value.map((row) => row.id).join(','));
    },
  });
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/list', component: Page },
      { path: '/elsewhere', component: { render: () => null } },
    ],
  });
  await router.push(url);
  wrapper = mount(RouterView, { global: { plugins: [router] } });
  await flushPromises();
  return { list: list!, router };
}

const rows = (...ids: number[]): Row[] => ids.map((id) => ({ id }));

describe('useAsyncList', () => {
  it('loads on mount with the filters and page of the URL, then shows the rows', async () => {
    const { load, calls } = controlledLoader<Filters>();
    const { list } = await mountList(
      { load, filters: { search: '', status: '' } },
      '/list?search=ada&page=3&other=kept',
    );

    expect(load).toHaveBeenCalledTimes(1);
    expect(calls[0]!.request).toMatchObject({ filters: { search: 'ada', status: '' }, page: 3 });
    expect(list.loading.value).toBe(true);

    calls[0]!.resolve({ items: rows(1, 2), total: 52 });
    await flushPromises();
    expect(list.loading.value).toBe(false);
    expect(list.items.value).toEqual(rows(1, 2));
    expect(list.total.value).toBe(52);
    expect(wrapper!.text()).toBe('1,2');
  });

  it('goes back to page 1 on a filter change and writes only chosen values to the URL', async () => {
    const { load, calls } = controlledLoader<Filters>();
    const { list, router } = await mountList(
      { load, filters: { search: '', status: '' } },
      '/list?page=2&tab=keys',
    );
    calls[0]!.resolve({ items: rows(1), total: 30 });
    await flushPromises();

    list.filters.status = 'new';
    await flushPromises();

    expect(list.page.value).toBe(1);
    expect(load).toHaveBeenCalledTimes(2); // One load for the change, not one per watcher.
    expect(calls[1]!.request).toMatchObject({ filters: { status: 'new' }, page: 1 });
    // Page 1 and empty filters stay out of the URL; another component's parameter stays in.
    expect(router.currentRoute.value.query).toEqual({ status: 'new', tab: 'keys' });

    list.page.value = 4;
    await flushPromises();
    expect(calls[2]!.request.page).toBe(4);
    expect(router.currentRoute.value.query).toEqual({ status: 'new', page: '4', tab: 'keys' });
  });

  it('aborts the previous request and never shows its late answer', async () => {
    const { load, calls } = controlledLoader<Filters>();
    const { list } = await mountList({ load, filters: { search: '', status: '' } });
    const first = calls[0]!;

    list.filters.search = 'grace';
    await flushPromises();
    const second = calls[1]!;
    expect(first.request.signal.aborted).toBe(true);
    expect(second.request.signal.aborted).toBe(false);

    second.resolve({ items: rows(7), total: 1 });
    first.resolve({ items: rows(1, 2, 3), total: 3 }); // Arrives last, answers the old filter.
    await flushPromises();
    expect(list.items.value).toEqual(rows(7));
    expect(list.total.value).toBe(1);
    expect(list.loading.value).toBe(false);
  });

  it('waits for typing to pause before loading, with one request for the final value', async () => {
    vi.useFakeTimers();
    const { load, calls } = controlledLoader<Filters>();
    const { list, router } = await mountList({
      load,
      filters: { search: '', status: '' },
      debounceMs: 200,
    });
    calls[0]!.resolve({ items: rows(1), total: 1 });
    await flushPromises();

    for (const value of ['l', 'la', 'lan']) {
      list.filters.search = value;
      await nextTick();
      vi.advanceTimersByTime(50);
    }
    expect(load).toHaveBeenCalledTimes(1);
    expect(list.loading.value).toBe(true); // The rows shown no longer match the filter.
    expect(router.currentRoute.value.query).toEqual({});
    vi.advanceTimersByTime(200);
    expect(load).toHaveBeenCalledTimes(2);
    expect(calls[1]!.request.filters.search).toBe('lan');
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ search: 'lan' });
  });

  it('reports a failure in words, keeps it until a load succeeds, and retries on reload', async () => {
    const { load, calls } = controlledLoader<Record<never, string>>();
    const { list } = await mountList({ load });
    calls[0]!.reject(new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server'));
    await flushPromises();
    expect(list.error.value).toBe('Could not reach the server');
    expect(list.loading.value).toBe(false);

    const retry = list.reload();
    expect(list.loading.value).toBe(true);
    calls[1]!.resolve({ items: rows(5), total: 1 });
    await retry;
    expect(list.error.value).toBe('');
    expect(list.items.value).toEqual(rows(5));

    void list.reload();
    calls[2]!.reject(new TypeError('boom'));
    await flushPromises();
    expect(list.error.value).toBe('Something went wrong. Please try again.');
  });

  it('reloads quietly for live refreshes: no loading state, rows stay', async () => {
    const { load, calls } = controlledLoader<Record<never, string>>();
    const { list } = await mountList({ load });
    calls[0]!.resolve({ items: rows(1), total: 1 });
    await flushPromises();

    void list.reload({ quiet: true });
    expect(list.loading.value).toBe(false);
    expect(list.items.value).toEqual(rows(1));
    calls[1]!.resolve({ items: rows(1, 2), total: 2 });
    await flushPromises();
    expect(list.items.value).toEqual(rows(1, 2));
  });

  it('shows the first page when the page asked for is past the end', async () => {
    const { load, calls } = controlledLoader<{ search: string }>();
    const { list, router } = await mountList({ load, filters: { search: '' } }, '/list?page=9');
    calls[0]!.resolve({ items: [], total: 12 }); // Offset APIs: an empty page.
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(calls[1]!.request.page).toBe(1);
    calls[1]!.resolve({ items: rows(1), total: 12 });
    await flushPromises();
    expect(list.items.value).toEqual(rows(1));
    expect(router.currentRoute.value.query).toEqual({});

    list.page.value = 5;
    await flushPromises();
    calls[2]!.reject(new ApiError(404, 'not_found', 'Invalid page.')); // Page-numbered APIs.
    await flushPromises();
    expect(list.page.value).toBe(1);
    expect(list.error.value).toBe('');
  });

  it('leaves the URL alone without filters, and aborts its request when the page is left', async () => {
    const { load, calls } = controlledLoader<Record<never, string>>();
    const { list, router } = await mountList({ load }, '/list?page=3');
    expect(calls[0]!.request.page).toBe(1);
    list.page.value = 2;
    await flushPromises();
    expect(router.currentRoute.value.query).toEqual({ page: '3' });

    await router.push('/elsewhere');
    expect(calls[1]!.request.signal.aborted).toBe(true);
  });
});
