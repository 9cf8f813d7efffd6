import type { Finding, ScanReport } from '@bastion/contract';
import { describe, expect, it } from 'vitest';
import { changesSince } from './alerts.js';

const NOW = new Date('2026-06-01T12:00:00Z');

function finding(test: string, pass: boolean, data: Finding['data'] = null): Finding {
  return {
    test,
    source: 'observatory',
    pass,
    result: pass ? 'ok' : 'bad',
    severity: 'medium',
    scoreModifier: pass ? 0 : -5,
    description: test,
    evidence: null,
    recommendation: null,
    docs: null,
    data,
  };
}

function report(findings: Finding[]): ScanReport {
  return {
    url: 'https://example.test/',
    algorithmVersion: 6,
    grade: 'B',
    score: 70,
    extra: { grade: null, score: null },
    findings,
    error: null,
    startedAt: NOW.toISOString(),
    durationMs: 1,
  };
}

const known = { grade: 'A', failingTests: ['cookies'], certificateExpiryNotified: null };

describe('what an alert reports', () => {
  it('a worse grade, not a better or equal one', () => {
    expect(changesSince(known, { grade: 'B', report: null }, NOW).gradeDrop).toEqual({
      from: 'A',
      to: 'B',
    });
    expect(changesSince(known, { grade: 'A+', report: null }, NOW).gradeDrop).toBeNull();
    expect(changesSince(known, { grade: 'A', report: null }, NOW).gradeDrop).toBeNull();
  });

  it('tests that fail now and did not before, only', () => {
    const current = report([finding('cookies', false), finding('referrer-policy', false)]);
    expect(changesSince(known, { grade: 'A', report: current }, NOW).newlyFailing).toEqual([
      'referrer-policy',
    ]);
  });

  it('a certificate expiring within 14 days, once per certificate', () => {
    const soon = report([finding('tls-expiry', true, { validTo: '2026-06-10T00:00:00.000Z' })]);
    const far = report([finding('tls-expiry', true, { validTo: '2026-08-10T00:00:00.000Z' })]);
    expect(changesSince(known, { grade: 'A', report: soon }, NOW).certificateExpiry).toEqual({
      validTo: '2026-06-10T00:00:00.000Z',
      days: 8,
    });
    const told = { ...known, certificateExpiryNotified: '2026-06-10T00:00:00.000Z' };
    expect(changesSince(told, { grade: 'A', report: soon }, NOW).certificateExpiry).toBeNull();
    expect(changesSince(known, { grade: 'A', report: far }, NOW).certificateExpiry).toBeNull();
  });
});
