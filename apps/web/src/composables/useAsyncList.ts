import {
  getCurrentInstance,
  onBeforeUnmount,
  onMounted,
  reactive,
  ref,
  shallowRef,
  toRaw,
  watch,
  type Ref,
  type ShallowRef,
} from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { ApiError, describeFailure } from '../api/client';
import { listQuery } from '../lib/url-query';

/** Filters of a list: named strings, '' meaning "not set" (what form fields hold). */
export type ListFilters = Record<string, string>;

/** What a list's loader answers: one page of rows and how many there are in all. */
export interface ListPage<T> {
  items: T[];
  /** For pagination; an unpaginated list leaves it out (its rows are all there are). */
  total?: number;
}

export interface ListRequest<F extends ListFilters> {
  filters: Readonly<F>;
  /** 1-based. */
  page: number;
  /** Aborted when a newer request replaces this one, or the component goes away. */
  signal: AbortSignal;
}

export interface AsyncListOptions<T, F extends ListFilters> {
  load: (request: ListRequest<F>) => Promise<ListPage<T>>;
  /** The filters and their defaults. Their names are the URL's query parameters. */
  filters?: F;
  /**
   * Keeps the filters and the page in the URL (default: when there are filters), so a reload or
   * a shared link shows the same view. Parameters of others on the same page are kept.
   */
  syncUrl?: boolean;
  /** Waits this long after a filter changes before loading (a search box being typed in). */
  debounceMs?: number;
  /** Loads on mount (default true). */
  immediate?: boolean;
}

export interface AsyncList<T, F extends ListFilters> {
  /** The rows shown; pages may replace one after saving it. */
  items: ShallowRef<T[]>;
  total: Ref<number>;
  /** True while a load started by the list (first load, filter or page change) is running. */
  loading: Ref<boolean>;
  /** Why the last load failed, in words for people; '' after a successful load. */
  error: Ref<string>;
  /** Bound to the filter fields; a change goes back to page 1 and loads. */
  filters: F;
  page: Ref<number>;
  /** Loads again; `quiet` keeps the rows on screen without a loading state (live refresh). */
  reload: (options?: { quiet?: boolean }) => Promise<void>;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * One list view's state: rows, total, loading and error, filters and page (in the URL), and a
 * loader that is called again whenever they change. A new request aborts the one before it, and
 * a late answer to an older request is never shown.
 */
export function useAsyncList<T, F extends ListFilters = Record<never, string>>(
  options: AsyncListOptions<T, F>,
): AsyncList<T, F> {
  const defaults = { ...(options.filters ?? {}) } as F;
  const syncUrl = options.syncUrl ?? Object.keys(defaults).length > 0;
  const route = syncUrl ? useRoute() : undefined;
  const router = syncUrl ? useRouter() : undefined;

  const initial = { ...defaults };
  for (const key of Object.keys(initial) as (keyof F & string)[]) {
    const fromUrl = text(route?.query[key]);
    if (fromUrl) initial[key] = fromUrl as F[typeof key];
  }
  const filters = reactive(initial) as F;
  const page = ref(syncUrl ? Math.max(1, Math.floor(Number(route?.query.page)) || 1) : 1);
  const items = shallowRef<T[]>([]);
  const total = ref(0);
  const loading = ref(options.immediate !== false);
  const error = ref('');

  let controller: AbortController | undefined;
  let ticket = 0;
  let debounce: ReturnType<typeof setTimeout> | undefined;

  function writeUrl() {
    if (!route || !router) return;
    const owned = new Set([...Object.keys(defaults), 'page']);
    const others = Object.fromEntries(
      Object.entries(route.query).filter(([key]) => !owned.has(key)),
    );
    const current = { ...(toRaw(filters) as ListFilters), page: page.value };
    void router.replace({ query: { ...others, ...listQuery(current) } });
  }

  async function reload({ quiet = false } = {}) {
    clearTimeout(debounce);
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    const current = ++ticket;
    if (!quiet) loading.value = true;
    try {
      const result = await options.load({
        filters: { ...(toRaw(filters) as F) },
        page: page.value,
        signal: mine.signal,
      });
      if (current !== ticket) return;
      // A page past the end (rows deleted meanwhile): show the first one instead.
      if (result.items.length === 0 && page.value > 1) {
        page.value = 1;
        return;
      }
      items.value = result.items;
      total.value = result.total ?? result.items.length;
      error.value = '';
    } catch (cause) {
      if (current !== ticket || mine.signal.aborted) return;
      // Page-numbered APIs answer 404 for a page past the end.
      if (cause instanceof ApiError && cause.status === 404 && page.value > 1) {
        page.value = 1;
        return;
      }
      error.value = describeFailure(cause);
    } finally {
      if (current === ticket) loading.value = false;
    }
  }

  function onChange(wait: number) {
    clearTimeout(debounce);
    if (wait > 0) {
      // Abort now: the answer would be for filters that no longer hold.
      controller?.abort();
      ticket++;
      loading.value = true;
      debounce = setTimeout(() => {
        writeUrl();
        void reload();
      }, wait);
    } else {
      writeUrl();
      void reload();
    }
  }

  // A new filter starts at the first page, without the page watcher loading a second time.
  let filterMovedPage = false;
  watch(
    () => ({ ...filters }),
    () => {
      if (page.value !== 1) {
        filterMovedPage = true;
        page.value = 1;
      }
      onChange(options.debounceMs ?? 0);
    },
  );
  watch(page, () => {
    if (filterMovedPage) filterMovedPage = false;
    else onChange(0);
  });

  if (getCurrentInstance()) {
    if (options.immediate !== false) onMounted(() => void reload());
    onBeforeUnmount(() => {
      clearTimeout(debounce);
      ticket++;
      controller?.abort();
    });
  }

  return { items, total, loading, error, filters, page, reload };
}
