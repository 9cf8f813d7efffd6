import {
  adminActionResultSchema,
  adminActionRunSchema,
  adminDetailSchema,
  adminHistorySchema,
  adminListSchema,
  adminLookupSchema,
  adminResourceListSchema,
  adminSearchSchema,
  adminViewListSchema,
  adminViewSchema,
  adminWriteResultSchema,
  adminActionQueuedSchema,
  type AdminActionRequest,
  type AdminFilters,
  type AdminViewCreate,
  type AdminViewUpdate,
} from '@bastion/contract';
import { api, type QueryValue } from '../../api/client';

// The generic admin API (/api/v1/admin), typed by the shared contract. Every page of /admin goes
// through these; paths are relative to /api.

const base = '/v1/admin';
const res = (resource: string) => `${base}/resources/${encodeURIComponent(resource)}`;
const rec = (resource: string, id: string) => `${res(resource)}/${encodeURIComponent(id)}`;

/** What selects rows: the same for the list, the export and "all matching" actions. */
export interface Selection {
  q?: string;
  filters?: AdminFilters;
  /** Soft-deleting resources: leave deleted rows out (default), include them, or only them. */
  deleted?: 'include' | 'only';
}

export interface ListParams extends Selection {
  sort?: string;
  cursor?: string;
  limit?: number;
  columns?: string[];
  /** Choice and boolean filters to count rows per value for (`facets`). */
  facets?: string[];
}

/** A selection as query parameters (filters travel as one JSON parameter). */
export function selectionQuery(selection: Selection): Record<string, QueryValue> {
  const filters = selection.filters ?? {};
  return {
    q: selection.q || undefined,
    filters: Object.keys(filters).length ? JSON.stringify(filters) : undefined,
    deleted: selection.deleted,
  };
}

/** The CSV export's address for a selection (a plain link: the browser downloads it). */
export function exportUrl(
  resource: string,
  selection: Selection & { sort?: string; columns?: string[] },
) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({
    ...selectionQuery(selection),
    sort: selection.sort,
    columns: selection.columns?.join(','),
  })) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `/api${res(resource)}/export${search ? `?${search}` : ''}`;
}

// A 202 (queued run) and a 200 (preview or done) answer the same request.
const actionAnswerSchema = {
  parse(data: unknown) {
    const queued = typeof data === 'object' && data !== null && 'run' in data;
    return queued ? adminActionQueuedSchema.parse(data) : adminActionResultSchema.parse(data);
  },
};
export type ActionAnswer = ReturnType<typeof actionAnswerSchema.parse>;

export const adminApi = {
  resources: () => api.get(`${base}/resources`, { schema: adminResourceListSchema }),
  list: (resource: string, params: ListParams, signal?: AbortSignal) =>
    api.get(res(resource), {
      schema: adminListSchema,
      signal,
      query: {
        ...selectionQuery(params),
        sort: params.sort,
        cursor: params.cursor,
        limit: params.limit,
        columns: params.columns?.join(','),
        facets: params.facets?.length ? params.facets.join(',') : undefined,
      },
    }),
  detail: (resource: string, id: string) =>
    api.get(rec(resource, id), { schema: adminDetailSchema }),
  create: (resource: string, body: Record<string, unknown>) =>
    api.post(res(resource), { schema: adminWriteResultSchema, body }),
  update: (resource: string, id: string, body: Record<string, unknown>) =>
    api.patch(rec(resource, id), { schema: adminWriteResultSchema, body }),
  remove: (resource: string, id: string) => api.delete(rec(resource, id)),
  history: (resource: string, id: string, cursor?: string) =>
    api.get(`${rec(resource, id)}/history`, { schema: adminHistorySchema, query: { cursor } }),
  restore: (resource: string, id: string, eventId: string) =>
    api.post(`${rec(resource, id)}/history/${encodeURIComponent(eventId)}/restore`, {
      schema: adminWriteResultSchema,
    }),
  lookup: (resource: string, q: string, signal?: AbortSignal) =>
    api.get(`${res(resource)}/lookup`, { schema: adminLookupSchema, query: { q }, signal }),
  action: (resource: string, action: string, body: AdminActionRequest) =>
    api.post(`${res(resource)}/actions/${encodeURIComponent(action)}`, {
      schema: actionAnswerSchema,
      body,
    }),
  actionRun: (id: string) =>
    api.get(`${base}/action-runs/${encodeURIComponent(id)}`, { schema: adminActionRunSchema }),
  search: (q: string, signal?: AbortSignal) =>
    api.get(`${base}/search`, { schema: adminSearchSchema, query: { q }, signal }),
  views: (resource: string) =>
    api.get(`${base}/views`, { schema: adminViewListSchema, query: { resource } }),
  createView: (body: AdminViewCreate) =>
    api.post(`${base}/views`, { schema: adminViewSchema, body }),
  updateView: (id: string, body: AdminViewUpdate) =>
    api.patch(`${base}/views/${encodeURIComponent(id)}`, { schema: adminViewSchema, body }),
  deleteView: (id: string) => api.delete(`${base}/views/${encodeURIComponent(id)}`),
};
