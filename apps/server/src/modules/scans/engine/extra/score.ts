// The "Beyond Observatory" score: 0–100 with Observatory's letter bands, so the two grades read
// alike next to each other. The rubric (documented in modules/scans/README.md):
//   1. start at 100 and add every penalty (negative modifier) of the extra findings;
//   2. only when that is still at least 90, add the bonuses (positive modifiers) — as in
//      Observatory, extra credit cannot hide real problems;
//   3. clamp to 0–100;
//   4. a failed critical finding (expired certificate, exposed .git or .env) caps the score at
//      20, an F, whatever else the site does well: one such leak is enough to lose the site.
import type { Finding, ScanGrade } from '@bastion/contract';
import { gradeFor } from '../observatory/score.js';

export const MINIMUM_SCORE_FOR_BONUS = 90;
export const CRITICAL_CAP = 20;

// The letter bands are Observatory's own (one definition, in observatory/score.ts), re-exported
// so the extra score's tests read the same function.
export { gradeFor };

export function scoreExtra(findings: Finding[]): { score: number; grade: ScanGrade } {
  const extra = findings.filter((finding) => finding.source === 'extra');
  let penalties = 0;
  let bonuses = 0;
  for (const finding of extra) {
    if (finding.scoreModifier < 0) penalties += finding.scoreModifier;
    else bonuses += finding.scoreModifier;
  }
  let score = 100 + penalties;
  if (score >= MINIMUM_SCORE_FOR_BONUS) score += bonuses;
  score = Math.min(100, Math.max(0, score));
  const critical = extra.some(
    (finding) => finding.pass === false && finding.severity === 'critical',
  );
  if (critical) score = Math.min(score, CRITICAL_CAP);
  return { score, grade: gradeFor(score) };
}
