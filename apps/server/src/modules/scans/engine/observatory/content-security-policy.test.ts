import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './content-security-policy.js';
import { parseCsp } from './csp-parser.js';
import { makeSite, resultOf, type SiteSpec } from './test-site.js';

const csp = (value: string | string[], extra: SiteSpec = {}) =>
  resultOf(contentSecurityPolicy, { ...extra, headers: { 'content-security-policy': value } });
const meta = (content: string) =>
  `<!doctype html><head><meta http-equiv="Content-Security-Policy" content="${content}"></head>`;

describe('content-security-policy', () => {
  it('is missing without a header or meta tag', () => {
    const f = resultOf(contentSecurityPolicy, {});
    expect([f.result, f.pass, f.scoreModifier, f.severity]).toEqual([
      'csp-not-implemented',
      false,
      -25,
      'high',
    ]);
    expect(f.docs).toMatch(/^https:\/\/developer\.mozilla\.org\//);
    expect(f.recommendation).toBeTruthy();
  });

  it('report-only enforces nothing', () => {
    const f = resultOf(contentSecurityPolicy, {
      headers: { 'content-security-policy-report-only': "default-src 'none'" },
    });
    expect([f.result, f.scoreModifier, f.evidence]).toEqual([
      'csp-not-implemented-but-reporting-enabled',
      -25,
      "default-src 'none'",
    ]);
  });

  it("default-src 'none' earns the top bonus", () => {
    const f = csp("default-src 'none'; img-src 'self'; form-action 'self'");
    expect([f.result, f.pass, f.scoreModifier]).toEqual([
      'csp-implemented-with-no-unsafe-default-src-none',
      true,
      10,
    ]);
    expect(f.evidence).toBe("default-src 'none'; img-src 'self'; form-action 'self'");
  });

  it("a safe policy without default-src 'none' earns +5", () => {
    expect(csp("default-src 'self'").result).toBe('csp-implemented-with-no-unsafe');
    expect(csp("script-src 'self'; object-src 'none'; style-src 'self'").result).toBe(
      'csp-implemented-with-no-unsafe',
    );
  });

  it("'unsafe-inline', data: or a broad source for scripts fails", () => {
    for (const policy of [
      "default-src 'self' 'unsafe-inline'",
      "default-src 'self'; script-src 'self' data:",
      "default-src 'self'; script-src https:",
      "default-src 'self'; object-src *",
      'img-src https:', // script-src and object-src unrestricted
    ]) {
      expect(csp(policy).result, policy).toBe('csp-implemented-with-unsafe-inline');
    }
    expect(csp("default-src 'self' 'unsafe-inline'").scoreModifier).toBe(-20);
  });

  it("a nonce or hash neutralises 'unsafe-inline'", () => {
    expect(csp("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-abc'").result).toBe(
      'csp-implemented-with-no-unsafe',
    );
  });

  it("'strict-dynamic' needs a nonce or hash, and then ignores host sources", () => {
    expect(csp("default-src 'self'; script-src 'strict-dynamic' https:").result).toBe(
      'csp-header-invalid',
    );
    expect(
      csp("default-src 'self'; script-src 'strict-dynamic' 'nonce-x' https: 'unsafe-inline'")
        .result,
    ).toBe('csp-implemented-with-no-unsafe');
  });

  it('http: sources on an https site: active fails, passive passes with -10', () => {
    const active = csp("default-src 'self'; connect-src http://api.example.com");
    expect([active.result, active.scoreModifier]).toEqual([
      'csp-implemented-with-insecure-scheme',
      -20,
    ]);
    const passive = csp("default-src 'self'; img-src http://img.example.com");
    expect([passive.result, passive.pass, passive.scoreModifier]).toEqual([
      'csp-implemented-with-insecure-scheme-in-passive-content-only',
      true,
      -10,
    ]);
    // Over plain HTTP the scheme is not held against the policy.
    expect(
      csp("default-src 'self'; connect-src http://api.example.com", { https: 'none', http: 'stay' })
        .result,
    ).toBe('csp-implemented-with-no-unsafe');
  });

  it("'unsafe-eval' fails with -10", () => {
    const f = csp("default-src 'self'; script-src 'self' 'unsafe-eval'");
    expect([f.result, f.pass, f.scoreModifier]).toEqual([
      'csp-implemented-with-unsafe-eval',
      false,
      -10,
    ]);
  });

  it('unsafe styles only: passes without bonus', () => {
    const f = csp("default-src 'none'; style-src 'self' 'unsafe-inline'");
    expect([f.result, f.pass, f.scoreModifier]).toEqual([
      'csp-implemented-with-unsafe-inline-in-style-src-only',
      true,
      0,
    ]);
  });

  it('invalid policies', () => {
    expect(csp("script-src 'self'; script-src 'none'").result).toBe('csp-header-invalid');
    expect(csp('abc').result).toBe('csp-header-invalid');
    expect(csp(["default-src 'self'", '']).result).toBe('csp-header-invalid');
  });

  it('a repeated report-uri is only flagged', () => {
    const f = csp("default-src 'none'; report-uri /a; report-uri /b");
    expect([f.result, f.pass, f.scoreModifier]).toEqual([
      'csp-implemented-but-duplicate-directives',
      true,
      0,
    ]);
  });

  it('reads <meta http-equiv> policies, but not header-only directives there', () => {
    expect(resultOf(contentSecurityPolicy, { html: meta("default-src 'none'") }).result).toBe(
      'csp-implemented-with-no-unsafe-default-src-none',
    );
    expect(resultOf(contentSecurityPolicy, { html: meta("frame-ancestors 'none'") }).result).toBe(
      'csp-not-implemented',
    );
    // Not HTML: meta tags do not count.
    expect(
      resultOf(contentSecurityPolicy, {
        html: meta("default-src 'none'"),
        contentType: 'text/plain',
      }).result,
    ).toBe('csp-not-implemented');
  });

  it('several policies: only sources every policy allows count', () => {
    // The second policy forbids inline scripts the first allows: the page is safe.
    expect(
      csp([
        "default-src 'self'; script-src 'self' 'unsafe-inline'",
        "default-src 'self'; script-src 'self'",
      ]).result,
    ).toBe('csp-implemented-with-no-unsafe');
    expect(csp("script-src 'self' 'unsafe-inline', script-src 'self'").result).toBe(
      'csp-implemented-with-unsafe-inline',
    );
  });
});

describe('parseCsp', () => {
  it('lower-cases, turns an empty source list into none, drops covered sources', () => {
    const { directives } = parseCsp([
      "Default-Src 'SELF' https://a.example/ https://a.example/x; img-src",
    ]);
    expect(Object.fromEntries([...directives].map(([k, v]) => [k, [...v]]))).toEqual({
      'default-src': ["'self'", 'https://a.example/'],
      'img-src': ["'none'"],
    });
  });

  it('intersects directives across policies', () => {
    const { directives } = parseCsp([
      "script-src 'self' https://a.example/",
      'script-src https://a.example/lib.js',
    ]);
    expect([...directives.get('script-src')!]).toEqual(['https://a.example/lib.js']);
    expect([...parseCsp(["img-src 'self'", 'img-src https:']).directives.get('img-src')!]).toEqual([
      "'none'",
    ]);
  });

  it('gives the site a stable analysis object', () => {
    const site = makeSite({ headers: { 'content-security-policy': "default-src 'none'" } });
    expect(contentSecurityPolicy(site, { now: new Date(), isPreloaded: () => false })).toHaveLength(
      1,
    );
  });
});
