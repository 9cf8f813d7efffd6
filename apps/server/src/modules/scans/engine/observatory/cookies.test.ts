import { describe, expect, it } from 'vitest';
import { cookies } from './cookies.js';
import { resultOf, type SiteSpec } from './test-site.js';

const HSTS = { 'strict-transport-security': 'max-age=31536000' };
const run = (set: string[], extra: SiteSpec = {}) =>
  resultOf(cookies, { headers: HSTS, ...extra, cookies: set });

describe('cookies', () => {
  it('no cookies passes', () => {
    const f = run([]);
    expect([f.result, f.pass, f.scoreModifier]).toEqual(['cookies-not-found', true, 0]);
  });

  it('Secure + HttpOnly sessions + SameSite everywhere: +5', () => {
    const f = run([
      'sessionid=abc; Secure; HttpOnly; SameSite=Lax',
      'theme=dark; Secure; SameSite=Strict',
    ]);
    expect([f.result, f.pass, f.scoreModifier]).toEqual([
      'cookies-secure-with-httponly-sessions-and-samesite',
      true,
      5,
    ]);
    // The evidence never repeats cookie values (they may be session secrets).
    expect(f.evidence).toBe(
      'sessionid=…; Secure; HttpOnly; SameSite=Lax\ntheme=…; Secure; SameSite=Strict',
    );
  });

  it('missing SameSite: passes without bonus', () => {
    expect(run(['theme=dark; Secure']).result).toBe('cookies-secure-with-httponly-sessions');
  });

  it('no Secure: -5 under HSTS, -20 without', () => {
    expect(run(['theme=dark; SameSite=Lax']).scoreModifier).toBe(-5);
    expect(run(['theme=dark; SameSite=Lax']).result).toBe(
      'cookies-without-secure-flag-but-protected-by-hsts',
    );
    const f = run(['theme=dark; SameSite=Lax'], { headers: {} });
    expect([f.result, f.scoreModifier]).toEqual(['cookies-without-secure-flag', -20]);
  });

  it('session cookies without Secure: -10 under HSTS, -40 without', () => {
    expect(run(['PHPSESSID=1; HttpOnly; SameSite=Lax']).result).toBe(
      'cookies-session-without-secure-flag-but-protected-by-hsts',
    );
    const f = run(['login=1; HttpOnly; SameSite=Lax'], { headers: {} });
    expect([f.result, f.scoreModifier, f.severity]).toEqual([
      'cookies-session-without-secure-flag',
      -40,
      'high',
    ]);
  });

  it('session cookies without HttpOnly: -30', () => {
    expect(run(['sessionid=1; Secure; SameSite=Lax']).result).toBe(
      'cookies-session-without-httponly-flag',
    );
  });

  it('anti-CSRF cookies need SameSite', () => {
    expect(run(['csrftoken=1; Secure']).result).toBe('cookies-anticsrf-without-samesite-flag');
  });

  it('an unknown SameSite value, or None without Secure, is invalid', () => {
    expect(run(['a=1; Secure; SameSite=Relaxed']).result).toBe('cookies-samesite-flag-invalid');
    expect(run(['a=1; Secure; SameSite']).result).toBe('cookies-samesite-flag-invalid');
    expect(run(['a=1; SameSite=None']).result).toBe('cookies-samesite-flag-invalid');
  });

  it('the worst problem wins', () => {
    expect(run(['theme=1; SameSite=Lax', 'sessionid=1; Secure; SameSite=Lax']).result).toBe(
      'cookies-session-without-httponly-flag',
    );
  });

  it("a later cookie of the same name replaces the earlier one; Heroku's affinity cookie is ignored", () => {
    expect(run(['a=1; SameSite=Lax', 'a=2; Secure; SameSite=Lax']).result).toBe(
      'cookies-secure-with-httponly-sessions-and-samesite',
    );
    expect(run(['heroku-session-affinity=x']).result).toBe('cookies-not-found');
  });
});
