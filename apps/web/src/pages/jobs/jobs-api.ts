import {
  jobDefinitionListSchema,
  jobEnqueuedSchema,
  jobListSchema,
  jobsOverviewSchema,
  scheduleListSchema,
  schedulePreviewSchema,
  scheduleSchema,
  type JobListQuery,
  type JobState,
  type ScheduleCreate,
  type ScheduleUpdate,
} from '@bastion/contract';
import { api } from '../../api/client';
import { withoutBlanks, type FilterQuery } from '../../api/query';
import type { Tone } from '../../components/types';

/** The jobs dashboard's calls, typed by the shared contract. */
export const jobsApi = {
  overview: () => api.get('/jobs/overview', { schema: jobsOverviewSchema }),
  list: (query: FilterQuery<JobListQuery>) =>
    api.get('/jobs', { schema: jobListSchema, query: withoutBlanks(query) }),
  definitions: () => api.get('/jobs/definitions', { schema: jobDefinitionListSchema }),
  retry: (queue: string, id: string) =>
    api.post(`/jobs/${encodeURIComponent(queue)}/${id}/retry`, { schema: jobEnqueuedSchema }),
  cancel: (queue: string, id: string) =>
    api.post(`/jobs/${encodeURIComponent(queue)}/${id}/cancel`, { schema: jobEnqueuedSchema }),
  schedules: () => api.get('/jobs/schedules', { schema: scheduleListSchema }),
  preview: (cron: string, timezone: string) =>
    api.post('/jobs/schedules/preview', {
      schema: schedulePreviewSchema,
      body: { cron, timezone },
    }),
  createSchedule: (body: ScheduleCreate) =>
    api.post('/jobs/schedules', { schema: scheduleSchema, body }),
  updateSchedule: (name: string, body: ScheduleUpdate) =>
    api.patch(`/jobs/schedules/${encodeURIComponent(name)}`, { schema: scheduleSchema, body }),
  deleteSchedule: (name: string) =>
    api.delete(`/jobs/schedules/${encodeURIComponent(name)}`, { schema: scheduleSchema }),
  runSchedule: (name: string) =>
    api.post(`/jobs/schedules/${encodeURIComponent(name)}/run`, { schema: jobEnqueuedSchema }),
};

export const stateTones: Record<JobState, Tone> = {
  created: 'neutral',
  retry: 'warning',
  active: 'info',
  completed: 'success',
  cancelled: 'neutral',
  failed: 'danger',
};

export const stateLabels: Record<JobState, string> = {
  created: 'Queued',
  retry: 'Retrying',
  active: 'Running',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
};
