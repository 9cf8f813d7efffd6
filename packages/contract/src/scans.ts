import { z } from 'zod';
import { httpUrl, listOf, listQuery, queryText, text } from './primitives.js';
import type { UserRole } from './scopes.js';

// Security scans: targets (web sites a user owns), scans of them, and the graded report a scan
// produces. The report has two parts: the Observatory part (the 12 tests of MDN's HTTP
// Observatory, algorithm 6, with its names, result codes and score modifiers, so existing tooling
// reads it unchanged) and the extra part (TLS, leaks, security.txt, …), scored separately.

/** Scopes of the scans module, with the least role that may grant each to a token. */
export const SCANS_SCOPES = {
  'scans:read': 'user',
  'scans:run': 'user',
} as const satisfies Record<string, UserRole>;

/** Observatory's letter grades, best first. */
export const SCAN_GRADES = [
  'A+',
  'A',
  'A-',
  'B+',
  'B',
  'B-',
  'C+',
  'C',
  'C-',
  'D+',
  'D',
  'D-',
  'F',
] as const;
export const scanGradeSchema = z.enum(SCAN_GRADES);
export type ScanGrade = z.infer<typeof scanGradeSchema>;

/** The 12 Observatory test names (algorithm version 6). */
export const OBSERVATORY_TESTS = [
  'content-security-policy',
  'cookies',
  'cross-origin-resource-sharing',
  'redirection',
  'referrer-policy',
  'strict-transport-security',
  'subresource-integrity',
  'x-content-type-options',
  'x-frame-options',
  'cross-origin-resource-policy',
  'cross-origin-opener-policy',
  'cross-origin-embedder-policy',
] as const;
export type ObservatoryTestName = (typeof OBSERVATORY_TESTS)[number];

export const FINDING_SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export const findingSeveritySchema = z.enum(FINDING_SEVERITIES);
export type FindingSeverity = z.infer<typeof findingSeveritySchema>;

/**
 * One check's outcome. Observatory tests use Observatory's result codes
 * (`hsts-implemented-max-age-at-least-six-months`, …) in `result`; extra checks use codes of
 * their own in the same style. `pass` is null where the test does not apply or was not run.
 */
export const findingSchema = z.object({
  /** Observatory test name, or the extra check's id (`tls-protocols`, `security-txt`, …). */
  test: z.string(),
  /** Which part of the report the finding belongs to. */
  source: z.enum(['observatory', 'extra']),
  pass: z.boolean().nullable(),
  result: z.string(),
  severity: findingSeveritySchema,
  scoreModifier: z.number().int(),
  /** One sentence on what was found. */
  description: z.string(),
  /** The header, value or path seen (null when the finding is about an absence). */
  evidence: z.string().nullable(),
  recommendation: z.string().nullable(),
  /** A page that explains the rule (MDN, RFC, OWASP). */
  docs: z.string().nullable(),
  /** Machine-readable details (parsed policy, certificate fields, …). */
  data: z.record(z.string(), z.unknown()).nullable(),
});
export type Finding = z.infer<typeof findingSchema>;

export const scanReportSchema = z.object({
  url: z.string(),
  /** Observatory's algorithm version the score follows. */
  algorithmVersion: z.number().int(),
  grade: scanGradeSchema.nullable(),
  score: z.number().int().nullable(),
  /** Beyond Observatory: its own 0–100 score and grade, shown next to the Observatory one. */
  extra: z.object({ grade: scanGradeSchema.nullable(), score: z.number().int().nullable() }),
  findings: z.array(findingSchema),
  /** Set when the site could not be retrieved at all (then there is no grade). */
  error: z.string().nullable(),
  startedAt: z.iso.datetime(),
  durationMs: z.number().int(),
});
export type ScanReport = z.infer<typeof scanReportSchema>;

// --- Targets --------------------------------------------------------------------------------

export const SCAN_SCHEDULES = ['off', 'daily', 'weekly'] as const;
export const scanScheduleSchema = z.enum(SCAN_SCHEDULES);
export const VERIFICATION_METHODS = ['file', 'dns', 'meta', 'staff'] as const;
export const verificationMethodSchema = z.enum(VERIFICATION_METHODS);
/** How each proof of ownership reads in the web app and the admin. */
export const VERIFICATION_METHOD_LABELS: Record<(typeof VERIFICATION_METHODS)[number], string> = {
  file: 'File',
  dns: 'DNS TXT record',
  meta: 'Meta tag',
  staff: 'Staff',
};

export const TARGET_URL_MAX = 2000;
export const scanTargetUrlSchema = httpUrl(TARGET_URL_MAX);

const timeOfDay = text(5).regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Enter a time as HH:MM (24 h).');
const timeZone = text(64).refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'Unknown time zone.' },
);
const tag = text(40, { trim: true })
  .min(1)
  .regex(/^[\p{L}\p{N} ._-]+$/u, 'Letters, digits, space, dot, dash and underscore only.');

const scanTargetFields = {
  url: scanTargetUrlSchema,
  name: text(200, { trim: true }).min(1, 'This field may not be blank.'),
  tags: z.array(tag).max(20),
  schedule: scanScheduleSchema,
  /** Local time of day for scheduled scans, in `timezone`. */
  scheduleTime: timeOfDay,
  /** 0 = Sunday … 6 = Saturday; used by weekly schedules. */
  scheduleWeekday: z.number().int().min(0).max(6),
  timezone: timeZone,
  /** Mail the owner when a scheduled scan finds the grade dropped, a new failure or an expiring certificate. */
  notify: z.boolean(),
};

export const scanTargetWriteSchema = z.object({
  ...scanTargetFields,
  tags: scanTargetFields.tags.default([]),
  schedule: scanTargetFields.schedule.default('off'),
  scheduleTime: scanTargetFields.scheduleTime.default('03:00'),
  scheduleWeekday: scanTargetFields.scheduleWeekday.default(1),
  timezone: scanTargetFields.timezone.default('UTC'),
  notify: scanTargetFields.notify.default(true),
});
export const scanTargetCreateSchema = scanTargetWriteSchema;
/**
 * PATCH: only what is sent. Not `scanTargetWriteSchema.partial()`: zod keeps the defaults inside
 * `.partial()`, so a PATCH of the URL alone would have reset the schedule, tags and time zone.
 */
export const scanTargetUpdateSchema = z.object(scanTargetFields).partial();
export type ScanTargetCreateInput = z.input<typeof scanTargetCreateSchema>;
export type ScanTargetUpdateInput = z.input<typeof scanTargetUpdateSchema>;

export const scanTargetSchema = z.object({
  id: z.uuid(),
  url: z.string(),
  name: z.string(),
  tags: z.array(z.string()),
  ownerId: z.uuid(),
  ownerEmail: z.string().nullable(),
  schedule: scanScheduleSchema,
  scheduleTime: z.string(),
  scheduleWeekday: z.number().int(),
  timezone: z.string(),
  notify: z.boolean(),
  verified: z.boolean(),
  verificationMethod: verificationMethodSchema.nullable(),
  verifiedAt: z.iso.datetime().nullable(),
  /** What to publish to prove ownership (file body, TXT record value, meta content). */
  verificationToken: z.string(),
  lastScan: z
    .object({
      id: z.uuid(),
      state: z.string(),
      grade: scanGradeSchema.nullable(),
      score: z.number().int().nullable(),
      finishedAt: z.iso.datetime().nullable(),
    })
    .nullable(),
  /** Latest grades, oldest first (for a sparkline). */
  trend: z.array(z.object({ score: z.number().int(), at: z.iso.datetime() })),
  nextScanAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ScanTarget = z.infer<typeof scanTargetSchema>;

export const scanTargetListQuerySchema = z.object({
  ...listQuery({ defaultLimit: 50, maxLimit: 200 }),
  search: queryText(200).optional(),
  tag: queryText(40).optional(),
});
export type ScanTargetListQuery = z.input<typeof scanTargetListQuerySchema>;

// --- Scans ----------------------------------------------------------------------------------

export const SCAN_STATES = ['pending', 'running', 'finished', 'failed', 'aborted'] as const;
export const scanStateSchema = z.enum(SCAN_STATES);
export type ScanState = z.infer<typeof scanStateSchema>;

export const scanSummarySchema = z.object({
  id: z.uuid(),
  targetId: z.uuid(),
  state: scanStateSchema,
  trigger: z.enum(['manual', 'schedule', 'api']),
  grade: scanGradeSchema.nullable(),
  score: z.number().int().nullable(),
  extraGrade: scanGradeSchema.nullable(),
  extraScore: z.number().int().nullable(),
  /** Tests that failed, by severity (for badges without loading the findings). */
  failed: z.number().int(),
  error: z.string().nullable(),
  /** 0–100 while running. */
  progress: z.number().int(),
  /** What the scan is doing now ("Fetching https://…", "Probing TLS 1.0"). */
  stage: z.string().nullable(),
  createdAt: z.iso.datetime(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ScanSummary = z.infer<typeof scanSummarySchema>;

export const scanDetailSchema = scanSummarySchema.extend({
  report: scanReportSchema.nullable(),
});
export type ScanDetail = z.infer<typeof scanDetailSchema>;

export const scanRunSchema = z.object({
  /** Scan even when a result younger than 24 h exists. */
  force: z.boolean().default(false),
});

export const scanTargetListSchema = listOf(scanTargetSchema);

export const scanListQuerySchema = z.object({
  ...listQuery({ defaultLimit: 30, maxLimit: 200 }),
  state: scanStateSchema.optional(),
});
export const scanListSchema = listOf(scanSummarySchema);

export const scanTargetParamsSchema = z.object({ id: z.uuid() });
export const scanParamsSchema = z.object({ id: z.uuid() });

export const gradeHistoryQuerySchema = z.object({
  /** Days back from now (default 90). */
  days: z.coerce.number().int().min(1).max(3650).default(90),
});
export const gradeHistorySchema = z.object({
  items: z.array(
    z.object({
      scanId: z.uuid(),
      at: z.iso.datetime(),
      grade: scanGradeSchema.nullable(),
      score: z.number().int().nullable(),
      extraGrade: scanGradeSchema.nullable(),
      extraScore: z.number().int().nullable(),
    }),
  ),
});

/** Which proof to check; without one, each of file, DNS and meta is tried. `staff`: staff only. */
export const scanVerifySchema = z.object({ method: verificationMethodSchema.optional() });
export const scanVerifyResultSchema = z.object({
  verified: z.boolean(),
  /** What each method found (why it failed), in the order tried. */
  checks: z.array(
    z.object({ method: verificationMethodSchema, ok: z.boolean(), detail: z.string() }),
  ),
  target: scanTargetSchema,
});
export type ScanVerifyResult = z.infer<typeof scanVerifyResultSchema>;
export type GradeHistory = z.infer<typeof gradeHistorySchema>;

/** Raw output of a scan (hops, certificate chains, HTML size and hash), as the engine stored it. */
export const scanRawSchema = z.record(z.string(), z.unknown());
