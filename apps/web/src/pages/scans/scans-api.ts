import {
  FINDING_SEVERITIES,
  gradeHistorySchema,
  scanDetailSchema,
  scanListSchema,
  scanRawSchema,
  scanSummarySchema,
  scanTargetListSchema,
  scanTargetSchema,
  scanVerifyResultSchema,
  type Finding,
  type FindingSeverity,
  type ScanGrade,
  type ScanState,
  type ScanSummary,
  type GradeHistory as GradeHistoryResponse,
  type ScanTargetCreateInput,
  type ScanTargetListQuery,
  type ScanTargetUpdateInput,
} from '@bastion/contract';
import { api } from '../../api/client';
import { withoutBlanks, type FilterQuery } from '../../api/query';
import type { Tone } from '../../components/types';

export type TargetInput = ScanTargetCreateInput;
export type TargetUpdate = ScanTargetUpdateInput;
export type TargetQuery = FilterQuery<ScanTargetListQuery>;
export type GradeHistory = GradeHistoryResponse['items'];

const base = '/v1/scans';

/** The scans module's calls, typed by the shared contract. */
export const scansApi = {
  listTargets: (query: TargetQuery, signal?: AbortSignal) =>
    api.get(`${base}/targets`, {
      schema: scanTargetListSchema,
      query: withoutBlanks(query),
      signal,
    }),
  getTarget: (id: string) => api.get(`${base}/targets/${id}`, { schema: scanTargetSchema }),
  createTarget: (body: TargetInput) =>
    api.post(`${base}/targets`, { schema: scanTargetSchema, body }),
  updateTarget: (id: string, body: TargetUpdate) =>
    api.patch(`${base}/targets/${id}`, { schema: scanTargetSchema, body }),
  removeTarget: (id: string) => api.delete(`${base}/targets/${id}`),
  verify: (id: string) =>
    api.post(`${base}/targets/${id}/verify`, { schema: scanVerifyResultSchema, body: {} }),
  /** Starts a scan (or answers the cached one); a 429 carries the cooldown in `retryAfter`. */
  scanNow: (id: string, force = false) =>
    api.post(`${base}/targets/${id}/scans`, { schema: scanSummarySchema, body: { force } }),
  listScans: (id: string, limit = 30, offset = 0) =>
    api.get(`${base}/targets/${id}/scans`, { schema: scanListSchema, query: { limit, offset } }),
  history: (id: string, days = 90) =>
    api.get(`${base}/targets/${id}/history`, { schema: gradeHistorySchema, query: { days } }),
  getScan: (id: string, signal?: AbortSignal) =>
    api.get(`${base}/scans/${id}`, { schema: scanDetailSchema, signal }),
  getRaw: (id: string) => api.get(`${base}/scans/${id}/raw`, { schema: scanRawSchema }),
  /** The raw output as a file download (the API answers it with Content-Disposition). */
  rawDownloadUrl: (id: string) => `/api${base}/scans/${id}/raw?download=1`,
};

/** A grade's colour family; the letter is always shown as text beside it. */
export function gradeTone(grade: ScanGrade | null | undefined): Tone {
  if (!grade) return 'neutral';
  if (grade.startsWith('A')) return 'success';
  if (grade.startsWith('B') || grade.startsWith('C')) return 'warning';
  return 'danger';
}

export const stateLabels: Record<ScanState, string> = {
  pending: 'Queued',
  running: 'Running',
  finished: 'Finished',
  failed: 'Failed',
  aborted: 'Aborted',
};
export const stateTones: Record<ScanState, Tone> = {
  pending: 'neutral',
  running: 'info',
  finished: 'success',
  failed: 'danger',
  aborted: 'warning',
};
export const isDone = (state: ScanState) => state !== 'pending' && state !== 'running';

/**
 * Where "Scan now" lands: the scan's page, saying so when the API answered with a result from
 * the last 24 hours instead of scanning again (the page then offers a fresh scan).
 */
export const resultRoute = (scan: Pick<ScanSummary, 'id'>, cached: boolean) => ({
  path: `/scans/results/${scan.id}`,
  query: cached ? { cached: '1' } : {},
});

export const severityLabels: Record<FindingSeverity, string> = {
  critical: 'Critical',
  high: 'High',
  medium: 'Medium',
  low: 'Low',
  info: 'Info',
};
export const severityTones: Record<FindingSeverity, Tone> = {
  critical: 'danger',
  high: 'danger',
  medium: 'warning',
  low: 'info',
  info: 'neutral',
};

export type Outcome = 'failed' | 'passed' | 'not-applicable';
export const outcomeLabels: Record<Outcome, string> = {
  failed: 'Failed',
  passed: 'Passed',
  'not-applicable': 'Not applicable',
};
const outcomeOf = (finding: Finding): Outcome =>
  finding.pass === false ? 'failed' : finding.pass ? 'passed' : 'not-applicable';

export interface FindingGroup {
  outcome: Outcome;
  severity: FindingSeverity;
  findings: Finding[];
}

/** Findings by outcome (failed first), then by severity (worst first), each group by test name. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const outcomes: Outcome[] = ['failed', 'passed', 'not-applicable'];
  const severities = [...FINDING_SEVERITIES].reverse();
  const groups: FindingGroup[] = [];
  for (const outcome of outcomes) {
    for (const severity of severities) {
      const matching = findings
        .filter((finding) => outcomeOf(finding) === outcome && finding.severity === severity)
        .sort((a, b) => a.test.localeCompare(b.test));
      if (matching.length > 0) groups.push({ outcome, severity, findings: matching });
    }
  }
  return groups;
}

/** Observatory's rule: bonuses count only when the score without them is at least this. */
export const BONUS_THRESHOLD = 90;

export interface ScoreArithmetic {
  base: number;
  penalties: { test: string; modifier: number }[];
  bonuses: { test: string; modifier: number }[];
  /** 100 plus every penalty. */
  withoutBonuses: number;
  bonusesApply: boolean;
  /** Before clamping to the 0 (and the grade chart's) range. */
  total: number;
}

/**
 * The Observatory score as the algorithm adds it up: start at 100, add each test's negative
 * modifier, and add the positive ones only when that already reaches 90. Shown on the scan page
 * so a user sees why a site got its score; the grade itself is the server's.
 */
export function scoreArithmetic(findings: readonly Finding[]): ScoreArithmetic {
  const observatory = findings.filter((finding) => finding.source === 'observatory');
  const penalties = observatory
    .filter((finding) => finding.scoreModifier < 0)
    .map((finding) => ({ test: finding.test, modifier: finding.scoreModifier }));
  const bonuses = observatory
    .filter((finding) => finding.scoreModifier > 0)
    .map((finding) => ({ test: finding.test, modifier: finding.scoreModifier }));
  const base = 100;
  const withoutBonuses = penalties.reduce((sum, entry) => sum + entry.modifier, base);
  const bonusesApply = withoutBonuses >= BONUS_THRESHOLD;
  const total = bonusesApply
    ? bonuses.reduce((sum, entry) => sum + entry.modifier, withoutBonuses)
    : withoutBonuses;
  return { base, penalties, bonuses, withoutBonuses, bonusesApply, total };
}

export const signed = (value: number) => (value > 0 ? `+${value}` : String(value));

export const scheduleOptions = [
  { value: 'off', label: 'Off (scan on demand)' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
];
export const weekdayOptions = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
].map((label, index) => ({ value: String(index), label }));
export const weekdayName = (day: number) => weekdayOptions[day]?.label ?? '';

/** Time zones the browser knows, for the schedule's picker (the API checks the name). */
export function timeZoneOptions(current: string) {
  const zones =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const all = new Set(['UTC', ...zones, current]);
  return [...all].map((zone) => ({ value: zone, label: zone }));
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}
