import { describe, expect, it } from 'vitest';
import { cspWeaknesses } from './csp-weaknesses.js';
import { context, headers, site, withFinalHeaders } from './test-site.js';

const run = (values: Record<string, string | string[]>) =>
  cspWeaknesses(withFinalHeaders(values), context);
const results = (policy: string) => run({ 'content-security-policy': policy }).map((f) => f.result);
const SOLID = "object-src 'none'; base-uri 'none'";

describe('csp-evaluation', () => {
  it('does not apply without a policy', () => {
    expect(run({})).toMatchObject([
      { result: 'csp-not-implemented', pass: null, scoreModifier: 0 },
    ]);
  });

  it('fails a report-only policy: it enforces nothing', () => {
    const [finding] = run({ 'content-security-policy-report-only': "default-src 'self'" });
    expect(finding).toMatchObject({
      result: 'csp-report-only',
      pass: false,
      severity: 'medium',
      scoreModifier: -10,
    });
    expect(finding!.evidence).toBe("Content-Security-Policy-Report-Only: default-src 'self'");
  });

  it.each([
    ["script-src 'self' 'unsafe-inline'", 'csp-script-unsafe-inline'],
    ["script-src 'self' 'unsafe-eval'", 'csp-script-unsafe-eval'],
    ['script-src data:', 'csp-script-scheme-source'],
    ['script-src https:', 'csp-script-scheme-source'],
    ['script-src *', 'csp-wildcard-source'],
    ['script-src http://cdn.example.com', 'csp-http-source'],
    ['script-src https://www.google.com', 'csp-allowlist-bypass'],
    ["script-src 'nonce-abc' 'strict-dynamic'", 'csp-nonce-weak'],
    ["script-src 'strict-dynamic'", 'csp-strict-dynamic-without-nonce'],
    ["img-src 'self'", 'csp-missing-script-src'],
  ])('%s → %s', (scripts, result) => {
    expect(results(`${scripts}; ${SOLID}`)).toContain(result);
  });

  it('accepts unsafe-inline next to a nonce (browsers ignore it then)', () => {
    expect(
      results(`script-src 'nonce-r4nd0mR4nd0mR4nd0m' 'unsafe-inline' 'strict-dynamic'; ${SOLID}`),
    ).toEqual(['csp-strict']);
  });

  it('asks for object-src and base-uri', () => {
    const found = run({
      'content-security-policy': "script-src 'sha256-K7gNU3sdo+OL0wNhqoVWhr3g6s1xYv72ol/pe/Unols='",
    });
    expect(found.map((f) => f.result)).toEqual(['csp-missing-object-src', 'csp-missing-base-uri']);
    expect(found[0]).toMatchObject({
      severity: 'medium',
      evidence: 'object-src missing',
      scoreModifier: -10,
    });
  });

  it('asks for base-uri at low severity in an allowlist policy', () => {
    const found = run({ 'content-security-policy': "default-src 'self'" });
    expect(found).toMatchObject([
      { result: 'csp-missing-base-uri', severity: 'low', scoreModifier: -5 },
    ]);
  });

  it('gives the strict-CSP bonus', () => {
    const [finding] = run({
      'content-security-policy': `script-src 'nonce-r4nd0mR4nd0mR4nd0m' 'strict-dynamic' https:; ${SOLID}`,
    });
    expect(finding).toMatchObject({ result: 'csp-strict', pass: true, scoreModifier: 5 });
  });

  it('passes a tight allowlist policy without the bonus', () => {
    expect(
      run({ 'content-security-policy': `default-src 'none'; script-src 'self'; ${SOLID}` }),
    ).toMatchObject([{ result: 'csp-no-weaknesses-found', pass: true, scoreModifier: 0 }]);
  });

  it('counts a weakness only when every enforced policy has it', () => {
    const found = run({
      'content-security-policy': [
        `script-src 'self' 'unsafe-inline'; ${SOLID}`,
        `script-src 'self'; ${SOLID}`,
      ],
    });
    expect(found.map((f) => f.result)).not.toContain('csp-script-unsafe-inline');
  });

  it('reads a policy from <meta http-equiv>', () => {
    const base = site();
    const meta = site({
      httpEquiv: headers({ 'content-security-policy': `script-src *; ${SOLID}` }),
    });
    expect(cspWeaknesses(base, context)[0]!.result).toBe('csp-not-implemented');
    expect(cspWeaknesses(meta, context).map((f) => f.result)).toContain('csp-wildcard-source');
  });

  it('reports syntax errors', () => {
    expect(results(`script-src 'self'; ${SOLID}; frobnicate-src x`)).toEqual(['csp-syntax']);
  });

  it('gives every finding a recommendation and a docs link', () => {
    for (const finding of run({
      'content-security-policy': "script-src * 'unsafe-inline' 'unsafe-eval' http: data:",
    })) {
      expect(finding.source).toBe('extra');
      expect(finding.recommendation).toBeTruthy();
      expect(finding.docs).toMatch(/^https:\/\//);
    }
  });
});
