import {
  LEAD_STATUSES,
  leadActivitySchema,
  leadBulkResultSchema,
  leadImportSchema,
  leadListSchema,
  leadOwnerListSchema,
  leadSchema,
  leadStatsSchema,
  leadTimelineSchema,
  newsletterActionResultSchema,
  newsletterListSchema,
  type LeadCreateInput,
  type LeadListQuery,
  type LeadStatus,
  type LeadUpdateInput,
  type NewsletterListQuery,
} from '@bastion/contract';
import { api, ApiError, CSRF_COOKIE, CSRF_HEADER, readCookie } from '../../api/client';
import { withoutBlanks, type FilterQuery } from '../../api/query';
import type { Tone } from '../../components/types';

/** The leads list's query as the contract types it (blank filters are left out). */
export type LeadQuery = FilterQuery<LeadListQuery>;
export type SubscriberQuery = FilterQuery<NewsletterListQuery>;

/** The CRM's calls, typed by the shared contract. */
export const crmApi = {
  list: (query: LeadQuery) =>
    api.get('/v1/leads', { schema: leadListSchema, query: withoutBlanks(query) }),
  get: (id: number) => api.get(`/v1/leads/${id}`, { schema: leadSchema }),
  create: (body: LeadCreateInput) => api.post('/v1/leads', { schema: leadSchema, body }),
  update: (id: number, body: LeadUpdateInput) =>
    api.patch(`/v1/leads/${id}`, { schema: leadSchema, body }),
  remove: (id: number) => api.delete(`/v1/leads/${id}`),
  timeline: (id: number) => api.get(`/v1/leads/${id}/timeline`, { schema: leadTimelineSchema }),
  addNote: (id: number, message: string) =>
    api.post(`/v1/leads/${id}/notes`, { schema: leadActivitySchema, body: { message } }),
  bulkStatus: (ids: number[], status: LeadStatus) =>
    api.post('/v1/leads/bulk-status', { schema: leadBulkResultSchema, body: { ids, status } }),
  stats: () => api.get('/v1/leads/stats', { schema: leadStatsSchema }),
  owners: () => api.get('/v1/leads/owners', { schema: leadOwnerListSchema }),
  exportUrl: (query: LeadQuery) => {
    const params = new URLSearchParams(
      Object.entries(withoutBlanks({ ...query, page: undefined, page_size: undefined })).map(
        ([key, value]) => [key, String(value)],
      ),
    );
    const search = params.toString();
    return `/api/v1/leads/export${search ? `?${search}` : ''}`;
  },
  /** The CSV goes as the raw body (the API reads `text/csv` as a stream), not as JSON or a form. */
  async uploadImport(file: File) {
    const headers: Record<string, string> = {
      'Content-Type': 'text/csv',
      Accept: 'application/json',
    };
    const token = readCookie(CSRF_COOKIE);
    if (token) headers[CSRF_HEADER] = token;
    const response = await fetch(
      `/api/v1/leads/imports?filename=${encodeURIComponent(file.name)}`,
      {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        // The bytes as they are: the server decodes them strictly and names a file that is not
        // UTF-8, where file.text() would turn its bad bytes into U+FFFD without a word.
        body: file,
      },
    );
    const body: unknown = await response.json().catch(() => undefined);
    if (!response.ok) {
      const error = (body as { error?: { code: string; message: string; details?: [] } })?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'HTTP_ERROR',
        error?.message ?? 'Upload failed',
        error?.details ?? [],
      );
    }
    return leadImportSchema.parse(body);
  },
  getImport: (id: string) => api.get(`/v1/leads/imports/${id}`, { schema: leadImportSchema }),
  applyImport: (id: string) =>
    api.post(`/v1/leads/imports/${id}/apply`, { schema: leadImportSchema }),
  subscribers: (query: SubscriberQuery) =>
    api.get('/v1/newsletter/subscribers', {
      schema: newsletterListSchema,
      query: withoutBlanks(query),
    }),
  confirmSubscription: (token: string) =>
    api.post('/v1/newsletter/confirm', { schema: newsletterActionResultSchema, body: { token } }),
  unsubscribe: (token: string) =>
    api.post('/v1/newsletter/unsubscribe', {
      schema: newsletterActionResultSchema,
      body: { token },
    }),
};

export const STATUSES: readonly LeadStatus[] = LEAD_STATUSES;

export const statusLabels: Record<LeadStatus, string> = {
  new: 'New',
  contacted: 'Contacted',
  qualified: 'Qualified',
  converted: 'Converted',
  lost: 'Lost',
};

export const statusTones: Record<LeadStatus, Tone> = {
  new: 'info',
  contacted: 'neutral',
  qualified: 'warning',
  converted: 'success',
  lost: 'danger',
};

export const statusOptions = STATUSES.map((status) => ({
  value: status,
  label: statusLabels[status],
}));

const valueFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 });
/** A deal value (leads carry no currency: the amount in the team's own). */
export function formatValue(value: number): string {
  return valueFormat.format(value);
}
