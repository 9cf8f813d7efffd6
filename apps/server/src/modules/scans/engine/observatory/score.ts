// Observatory's grading, algorithm version 6: start at 100 and add every test's modifier, but
// count the bonuses (positive modifiers) only when the score after the penalties alone is at
// least 90, so a site cannot buy back a missing CSP with COOP and CORP headers. The score does
// not go below 0; above 100 it is kept (Observatory reports e.g. 125) and grades as A+.
import type { Finding, ScanGrade } from '@bastion/contract';

export const ALGORITHM_VERSION = 6;
export const MINIMUM_SCORE_FOR_EXTRA_CREDIT = 90;

/** Lowest score of each grade, best first (scores are bucketed down to a multiple of 5). */
const BANDS: [number, ScanGrade][] = [
  [100, 'A+'],
  [90, 'A'],
  [85, 'A-'],
  [80, 'B+'],
  [70, 'B'],
  [65, 'B-'],
  [60, 'C+'],
  [50, 'C'],
  [45, 'C-'],
  [40, 'D+'],
  [30, 'D'],
  [25, 'D-'],
  [0, 'F'],
];

export function gradeFor(score: number): ScanGrade {
  const clamped = Math.max(score, 0);
  const bucket = Math.min(clamped - (clamped % 5), 100);
  return BANDS.find(([min]) => bucket >= min)![1];
}

export function scoreObservatory(findings: Finding[]): { score: number; grade: ScanGrade } {
  let penalties = 100;
  let withBonuses = 100;
  for (const f of findings) {
    if (f.source !== 'observatory') continue;
    withBonuses += f.scoreModifier;
    if (f.scoreModifier < 0) penalties += f.scoreModifier;
  }
  const raw = penalties >= MINIMUM_SCORE_FOR_EXTRA_CREDIT ? withBonuses : penalties;
  const score = Math.max(raw, 0);
  return { score, grade: gradeFor(score) };
}
