import type { Finding, FindingSeverity } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { finding } from './finding.js';
import { gradeFor, scoreExtra } from './score.js';

function failed(severity: FindingSeverity): Finding {
  return finding({
    test: `t-${severity}`,
    result: 'r',
    pass: false,
    severity,
    description: 'd',
    docs: 'x',
  });
}
function passed(scoreModifier = 0): Finding {
  return finding({
    test: 't',
    result: 'r',
    pass: true,
    severity: 'info',
    scoreModifier,
    description: 'd',
    docs: 'x',
  });
}

describe('scoreExtra', () => {
  // [label, findings, score, grade]
  const table: [string, Finding[], number, string][] = [
    ['nothing found', [], 100, 'A+'],
    ['all passed, no bonus', [passed(), passed()], 100, 'A+'],
    ['bonus above 100 is clamped', [passed(5), passed(5)], 100, 'A+'],
    ['one low failure', [failed('low')], 95, 'A'],
    ['a low failure made up by a bonus', [failed('low'), passed(5)], 100, 'A+'],
    ['medium failure: 90 still earns the bonus', [failed('medium'), passed(5)], 95, 'A'],
    ['high failure: 80 earns no bonus', [failed('high'), passed(5), passed(5)], 80, 'B+'],
    ['medium + low', [failed('medium'), failed('low')], 85, 'A-'],
    ['two high', [failed('high'), failed('high')], 60, 'C+'],
    ['high + medium + low', [failed('high'), failed('medium'), failed('low')], 65, 'B-'],
    ['info failures cost nothing', [failed('info'), failed('info')], 100, 'A+'],
    ['critical caps at 20', [failed('critical')], 20, 'F'],
    ['critical caps even with bonuses', [failed('critical'), passed(5)], 20, 'F'],
    ['never below zero', Array.from({ length: 8 }, () => failed('high')), 0, 'F'],
    [
      'three high and a medium',
      [failed('high'), failed('high'), failed('high'), failed('medium')],
      30,
      'D',
    ],
    [
      'observatory findings are ignored',
      [{ ...failed('high'), source: 'observatory' as const }],
      100,
      'A+',
    ],
  ];
  it.each(table)('%s → %i %s', (_label, findings, score, grade) => {
    expect(scoreExtra(findings)).toEqual({ score, grade });
  });
});

describe('gradeFor', () => {
  it.each([
    [100, 'A+'],
    [99, 'A'],
    [90, 'A'],
    [89, 'A-'],
    [85, 'A-'],
    [80, 'B+'],
    [79, 'B'],
    [70, 'B'],
    [65, 'B-'],
    [60, 'C+'],
    [50, 'C'],
    [45, 'C-'],
    [40, 'D+'],
    [30, 'D'],
    [25, 'D-'],
    [24, 'F'],
    [0, 'F'],
  ])('%i is %s', (score, grade) => {
    expect(gradeFor(score)).toBe(grade);
  });
});
