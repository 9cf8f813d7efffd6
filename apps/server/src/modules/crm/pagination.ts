import { LEAD_MAX_PAGE_SIZE, LEAD_PAGE_SIZE } from '@bastion/contract';

// DRF PageNumberPagination semantics, which the bench contract (and the website clients written
// against the Django original) rely on.

/** Like Python's int(): optional sign, digits, surrounding blanks. */
function pythonInt(value: string): number {
  return /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
}

/** `page_size`: invalid or ≤ 0 means the default; capped at the maximum. */
export function pageSizeOf(raw: string | undefined): number {
  if (raw === undefined) return LEAD_PAGE_SIZE;
  const size = pythonInt(raw);
  if (!(size > 0)) return LEAD_PAGE_SIZE;
  return Math.min(size, LEAD_MAX_PAGE_SIZE);
}

/**
 * `page`: absent means 1, "last" the last page; anything not an integer is invalid (NaN). So is
 * a page past 2^53: DRF would call it past the last page ("Invalid page." either way), and its
 * offset would not even be an exact number, let alone a PostgreSQL bigint.
 */
export function pageOf(raw: string | undefined): number | 'last' {
  if (raw === undefined) return 1;
  if (raw === 'last') return 'last';
  const page = pythonInt(raw);
  return Number.isSafeInteger(page) ? page : Number.NaN;
}

export function pageCount(count: number, size: number): number {
  return Math.max(1, Math.ceil(count / size));
}

/** DRF's link shape: query keys sorted, `page` replaced, page 1 without `page`. */
export function pageLink(
  base: string,
  query: Record<string, string | string[] | undefined>,
  page: number,
): string {
  const params = new URLSearchParams();
  const keys = Object.keys(query)
    .filter((key) => key !== 'page')
    .concat(page === 1 ? [] : ['page'])
    .sort();
  for (const key of keys) {
    const value = key === 'page' ? String(page) : query[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined) params.append(key, item);
    }
  }
  const search = params.toString();
  return search ? `${base}?${search}` : base;
}
