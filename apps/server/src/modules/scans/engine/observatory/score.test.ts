import type { Finding } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { observatoryChecks, scoreObservatory } from './index.js';
import { gradeFor } from './score.js';
import { SCORE_TABLE } from './score-table.js';
import { context, makeSite } from './test-site.js';

const modifier = (scoreModifier: number): Finding => ({
  test: 'x',
  source: 'observatory',
  pass: scoreModifier >= 0,
  result: 'x',
  severity: 'info',
  scoreModifier,
  description: '',
  evidence: null,
  recommendation: null,
  docs: null,
  data: null,
});

describe('scoreObservatory arithmetic', () => {
  it('starts at 100 and adds modifiers; bonuses need a base of 90', () => {
    expect(scoreObservatory([])).toEqual({ score: 100, grade: 'A+' });
    expect(scoreObservatory([modifier(-10), modifier(10)])).toEqual({ score: 100, grade: 'A+' });
    expect(scoreObservatory([modifier(-15), modifier(10)])).toEqual({ score: 85, grade: 'A-' });
    expect(scoreObservatory([modifier(-200)])).toEqual({ score: 0, grade: 'F' });
    // Extra findings never count toward the Observatory score.
    expect(scoreObservatory([{ ...modifier(-50), source: 'extra' }])).toEqual({
      score: 100,
      grade: 'A+',
    });
  });

  it('grade bands bucket down to multiples of 5', () => {
    const bands: [number, string][] = [
      [150, 'A+'],
      [100, 'A+'],
      [99, 'A'],
      [90, 'A'],
      [89, 'A-'],
      [85, 'A-'],
      [84, 'B+'],
      [80, 'B+'],
      [79, 'B'],
      [70, 'B'],
      [69, 'B-'],
      [65, 'B-'],
      [64, 'C+'],
      [60, 'C+'],
      [59, 'C'],
      [50, 'C'],
      [49, 'C-'],
      [45, 'C-'],
      [44, 'D+'],
      [40, 'D+'],
      [39, 'D'],
      [30, 'D'],
      [29, 'D-'],
      [25, 'D-'],
      [24, 'F'],
      [0, 'F'],
      [-5, 'F'],
    ];
    for (const [score, grade] of bands) expect(gradeFor(score), String(score)).toBe(grade);
  });
});

describe('score table (sites in, exact score and grade out)', () => {
  it.each(SCORE_TABLE.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    const site = makeSite(row.spec);
    const findings = observatoryChecks.flatMap((check) => check(site, context));
    expect(findings.map((f) => f.test)).toHaveLength(12);
    expect(new Set(findings.map((f) => f.test)).size).toBe(12);
    const results = Object.fromEntries(findings.map((f) => [f.test, f.result]));
    expect(results).toMatchObject(row.results ?? {});
    expect(scoreObservatory(findings)).toEqual({ score: row.score, grade: row.grade });
  });

  it('covers enough rows and every grade', () => {
    expect(SCORE_TABLE.length).toBeGreaterThanOrEqual(30);
    expect(new Set(SCORE_TABLE.map((r) => r.grade)).size).toBe(13);
  });
});
