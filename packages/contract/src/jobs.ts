import { z } from 'zod';
import { jsonObject, queryInt, queryText, text } from './primitives.js';

/**
 * A queue workers listen on. Modules declare their queues in their server manifest (`default`
 * from jobs, `mail` from mail, …); `dead-letter` collects jobs whose retries ran out.
 */
export const jobQueueSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/)
  .max(100);
export type JobQueueName = z.infer<typeof jobQueueSchema>;
export const DEAD_LETTER_QUEUE = 'dead-letter';

export const jobStateSchema = z.enum([
  'created',
  'retry',
  'active',
  'completed',
  'cancelled',
  'failed',
]);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobStateCountsSchema = z.object({
  created: z.number().int(),
  retry: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  cancelled: z.number().int(),
  failed: z.number().int(),
});

export const jobsOverviewSchema = z.object({
  queues: z.array(z.object({ name: z.string(), counts: jobStateCountsSchema })),
  /** One point per minute of the last hour, oldest first. */
  throughput: z.array(
    z.object({ minute: z.iso.datetime(), completed: z.number().int(), failed: z.number().int() }),
  ),
  generatedAt: z.iso.datetime(),
});
export type JobsOverview = z.infer<typeof jobsOverviewSchema>;

export const jobErrorSchema = z.object({
  message: z.string(),
  name: z.string().optional(),
  stack: z.string().optional(),
});

export const jobSummarySchema = z.object({
  id: z.uuid(),
  queue: z.string(),
  /** The registered job type, e.g. `mail.send`. */
  job: z.string(),
  state: jobStateSchema,
  payload: z.unknown(),
  error: jobErrorSchema.nullable(),
  /** Attempts started so far (1 for a first run); `maxAttempts` = retry limit + 1. */
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  schedule: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startAfter: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  completedAt: z.iso.datetime().nullable(),
  durationMs: z.number().int().nullable(),
  /** For a dead-lettered copy: the queue and job it came from. */
  source: z.object({ queue: z.string(), id: z.string() }).nullable(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const jobListQuerySchema = z.object({
  queue: queryText(100).optional(),
  state: jobStateSchema.optional(),
  job: queryText(200).optional(),
  limit: queryInt(1, 200).default(50),
});
/** What a client passes. */
export type JobListQuery = z.input<typeof jobListQuerySchema>;
/** What the server reads once the query is parsed (limit defaulted). */
export type JobListFilters = z.output<typeof jobListQuerySchema>;

export const jobListSchema = z.object({ items: z.array(jobSummarySchema) });
export type JobList = z.infer<typeof jobListSchema>;

/** pg-boss's rule for queue names (it throws on anything else). */
export const jobQueueNameSchema = queryText(100).regex(
  /^[\w./-]+$/,
  'letters, digits, underscore, dot, dash and slash only',
);
export const jobParamsSchema = z.object({ queue: jobQueueNameSchema, id: z.uuid() });

export const jobDefinitionSchema = z.object({
  name: z.string(),
  queue: jobQueueSchema,
  maxAttempts: z.number().int(),
  timeoutSeconds: z.number().int(),
});
export const jobDefinitionListSchema = z.object({ items: z.array(jobDefinitionSchema) });
export type JobDefinitionInfo = z.infer<typeof jobDefinitionSchema>;

export const scheduleNameSchema = text(100)
  .min(1)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lowercase letters, digits, dot, dash and underscore only');

export const scheduleSchema = z.object({
  name: z.string(),
  cron: z.string(),
  timezone: z.string(),
  job: z.string(),
  payload: z.unknown(),
  enabled: z.boolean(),
  /** Declared in code (seeded at start); such schedules can be edited but not deleted. */
  builtIn: z.boolean(),
  lastRunAt: z.iso.datetime().nullable(),
  nextRuns: z.array(z.iso.datetime()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Schedule = z.infer<typeof scheduleSchema>;
export const scheduleListSchema = z.object({ items: z.array(scheduleSchema) });

const cronField = text(200, { trim: true }).min(1);
const timezoneField = text(100, { trim: true }).min(1);

export const scheduleCreateSchema = z.object({
  name: scheduleNameSchema,
  cron: cronField,
  timezone: timezoneField.default('UTC'),
  job: text(200).min(1),
  payload: jsonObject().default({}),
  enabled: z.boolean().default(true),
});
export type ScheduleCreate = z.input<typeof scheduleCreateSchema>;

export const scheduleUpdateSchema = z
  .object({
    cron: cronField,
    timezone: timezoneField,
    payload: jsonObject(),
    enabled: z.boolean(),
  })
  .partial();
export type ScheduleUpdate = z.infer<typeof scheduleUpdateSchema>;

export const schedulePreviewRequestSchema = z.object({
  cron: cronField,
  timezone: timezoneField.default('UTC'),
});
export const schedulePreviewSchema = z.object({ nextRuns: z.array(z.iso.datetime()) });

export const scheduleParamsSchema = z.object({ name: queryText(100) });

export const jobEnqueuedSchema = z.object({ id: z.string() });
