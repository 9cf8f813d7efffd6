import { describe, expect, it } from 'vitest';
import {
  auditUnavailable,
  evaluateAudit,
  evaluateLicenses,
  licenseAllowed,
} from './dependency-gate.mjs';

// The shape of `npm audit --json` (auditReportVersion 2), reduced to what the gate reads.
const report = (
  severity,
  source = 1101234,
  url = 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc',
) => ({
  auditReportVersion: 2,
  vulnerabilities: {
    'tar-fs': {
      name: 'tar-fs',
      severity,
      via: [{ source, name: 'tar-fs', title: 'Path traversal', url, severity, range: '<2.1.2' }],
    },
    // Vulnerable only through tar-fs: a string via, no advisory of its own.
    'docker-modem': { name: 'docker-modem', severity, via: ['tar-fs'] },
  },
  metadata: { dependencies: { prod: 10 } },
});

describe('dependency gate: audit', () => {
  const today = '2026-12-02';
  it('fails on a high advisory not in the allow-list, once per advisory', () => {
    const { failures } = evaluateAudit(report('high'), { advisories: [] }, today);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain('tar-fs');
    expect(failures[0]).toContain('GHSA-aaaa-bbbb-cccc');
  });

  it('lets moderate advisories through', () => {
    expect(evaluateAudit(report('moderate'), { advisories: [] }, today).failures).toEqual([]);
  });

  it('allows a listed advisory (by GHSA id or npm number) until its expiry', () => {
    for (const id of ['GHSA-aaaa-bbbb-cccc', '1101234']) {
      const allowlist = { advisories: [{ id, reason: 'not reachable', expires: '2027-01-01' }] };
      const result = evaluateAudit(report('critical'), allowlist, today);
      expect(result.failures).toEqual([]);
      expect(result.allowed).toHaveLength(1);
    }
  });

  it('fails on an expired entry, even with nothing to match', () => {
    const allowlist = {
      advisories: [{ id: 'GHSA-aaaa-bbbb-cccc', reason: 'r', expires: '2026-12-01' }],
    };
    const { failures } = evaluateAudit(report('high'), allowlist, today);
    expect(failures.some((f) => f.includes('expired on 2026-12-01'))).toBe(true);
    expect(failures.some((f) => f.includes('tar-fs'))).toBe(true);
    expect(evaluateAudit({ vulnerabilities: {} }, allowlist, today).failures).toHaveLength(1);
  });

  it('fails on an entry without a reason or date', () => {
    const { failures } = evaluateAudit(
      { vulnerabilities: {} },
      { advisories: [{ id: 'x' }] },
      today,
    );
    expect(failures[0]).toContain('needs id, reason and expires');
  });

  it('tells an unreachable endpoint from a report', () => {
    expect(auditUnavailable(report('high'))).toBeUndefined();
    expect(auditUnavailable({ auditReportVersion: 2, vulnerabilities: {} })).toBeUndefined();
    expect(auditUnavailable({ message: '405 Method Not Allowed - POST …/bulk' })).toContain('405');
    expect(
      auditUnavailable({ error: { code: 'ENOTFOUND', summary: 'getaddrinfo ENOTFOUND' } }),
    ).toContain('ENOTFOUND');
  });
});

describe('dependency gate: licences', () => {
  const policy = {
    allowed: ['MIT', 'ISC', 'Apache-2.0'],
    exceptions: [{ package: 'odd', license: 'FSL-1.1-Apache-2.0', reason: 'r' }],
  };
  it('reads SPDX expressions', () => {
    expect(licenseAllowed('MIT', policy.allowed)).toBe(true);
    expect(licenseAllowed('(MIT OR GPL-3.0)', policy.allowed)).toBe(true);
    expect(licenseAllowed('(MIT AND GPL-3.0)', policy.allowed)).toBe(false);
    expect(licenseAllowed('GPL-3.0', policy.allowed)).toBe(false);
    expect(licenseAllowed(undefined, policy.allowed)).toBe(false);
  });

  it('checks production packages only, with the named exceptions', () => {
    const lock = {
      packages: {
        '': { name: 'bastion' },
        'apps/server': { name: '@bastion/server' },
        'node_modules/a': { version: '1.0.0', license: 'MIT' },
        'node_modules/dev-only': { version: '1.0.0', license: 'GPL-3.0', dev: true },
        'node_modules/odd': { version: '1.0.0', license: 'FSL-1.1-Apache-2.0' },
        'node_modules/a/node_modules/copyleft': { version: '2.0.0', license: 'AGPL-3.0' },
        'node_modules/none': { version: '0.1.0' },
      },
    };
    const { failures, checked } = evaluateLicenses(lock, policy);
    expect(checked).toBe(4);
    expect(failures).toEqual([
      'copyleft@2.0.0: licence AGPL-3.0 is not allowed (security/licenses.json)',
      'none@0.1.0: licence not declared is not allowed (security/licenses.json)',
    ]);
  });
});
