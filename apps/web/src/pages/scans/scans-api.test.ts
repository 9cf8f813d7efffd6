import type { Finding } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { groupFindings, scoreArithmetic } from './scans-api';

const finding = (over: Partial<Finding>): Finding => ({
  test: 'x-frame-options',
  source: 'observatory',
  pass: true,
  result: 'ok',
  severity: 'info',
  scoreModifier: 0,
  description: '',
  evidence: null,
  recommendation: null,
  docs: null,
  data: null,
  ...over,
});

describe('scans web helpers', () => {
  it('adds bonuses only when the score without them reaches 90', () => {
    const good = scoreArithmetic([
      finding({ test: 'cookies', scoreModifier: -5 }),
      finding({ test: 'content-security-policy', scoreModifier: 10 }),
      finding({ test: 'tls-protocols', source: 'extra', scoreModifier: -40 }),
    ]);
    expect(good).toMatchObject({ withoutBonuses: 95, bonusesApply: true, total: 105 });
    const poor = scoreArithmetic([
      finding({ test: 'cookies', scoreModifier: -20 }),
      finding({ test: 'content-security-policy', scoreModifier: 10 }),
    ]);
    expect(poor).toMatchObject({ withoutBonuses: 80, bonusesApply: false, total: 80 });
  });

  it('groups failed findings first, worst severity first', () => {
    const groups = groupFindings([
      finding({ test: 'a', pass: true }),
      finding({ test: 'b', pass: false, severity: 'low' }),
      finding({ test: 'c', pass: false, severity: 'high' }),
      finding({ test: 'd', pass: null }),
    ]);
    expect(groups.map((group) => `${group.outcome}:${group.severity}`)).toEqual([
      'failed:high',
      'failed:low',
      'passed:info',
      'not-applicable:info',
    ]);
  });
});
