// cookies: every cookie the final session stored (redirect hops and robots.txt included), read
// the way a browser's cookie jar reads them (tough-cookie, RFC 6265). Session cookies (names
// with "login" or "sess") must be Secure and HttpOnly, anti-CSRF cookies ("csrf") need SameSite,
// and a missing Secure is a smaller fault when HSTS keeps the site off plain HTTP.
import { Cookie, CookieJar } from 'tough-cookie';
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding } from './site.js';
import { analyseHsts } from './strict-transport-security.js';

/** Worst last: a cookie can only move the result down this list. */
const ORDER: ResultCode[] = [
  'cookies-without-secure-flag-but-protected-by-hsts',
  'cookies-without-secure-flag',
  'cookies-session-without-secure-flag-but-protected-by-hsts',
  'cookies-samesite-flag-invalid',
  'cookies-anticsrf-without-samesite-flag',
  'cookies-session-without-httponly-flag',
  'cookies-session-without-secure-flag',
];
// A load balancer's affinity cookie that sites cannot change (Heroku); Observatory ignores it.
const IGNORED = new Set(['heroku-session-affinity']);

function invalidSameSite(raw: string): boolean {
  return raw
    .trim()
    .split(';')
    .some((part) => {
      const [key, value] = part.trim().split('=');
      if (key?.trim().toLowerCase() !== 'samesite') return false;
      return !value || !['lax', 'strict', 'none'].includes(value.trim().toLowerCase());
    });
}

export const cookies: Check = (site, context) => {
  let result: ResultCode | null = null;
  const worse = (code: ResultCode) => {
    if (result === null || ORDER.indexOf(code) > ORDER.indexOf(result)) result = code;
  };
  const hsts = analyseHsts(site, context);
  const hstsPass =
    hsts.result === 'hsts-preloaded' ||
    hsts.result === 'hsts-implemented-max-age-at-least-six-months';

  // An unknown SameSite value is dropped by the jar, so look at the raw final headers too.
  for (const raw of site.final?.headers['set-cookie'] ?? []) {
    if (invalidSameSite(raw)) worse('cookies-samesite-flag-invalid');
  }

  const jar = new CookieJar();
  for (const { url, header: raw } of site.cookies) {
    jar.setCookieSync(raw, url, { ignoreError: true });
  }
  const stored = (jar.serializeSync()?.cookies ?? [])
    .map((c) => Cookie.fromJSON(c))
    .filter((c): c is Cookie => !!c && !!c.key && !IGNORED.has(c.key));

  if (stored.length === 0) {
    return [finding('cookies-not-found', null)];
  }
  let missingSameSite = false;
  const data: Record<string, unknown> = {};
  for (const cookie of stored) {
    const name = cookie.key.toLowerCase();
    const session = name.includes('login') || name.includes('sess');
    const antiCsrf = name.includes('csrf');
    const sameSite = cookie.sameSite && cookie.sameSite !== 'unspecified' ? cookie.sameSite : null;
    if (!cookie.secure && sameSite?.toLowerCase() === 'none')
      worse('cookies-samesite-flag-invalid');
    if (!cookie.secure)
      worse(
        hstsPass
          ? 'cookies-without-secure-flag-but-protected-by-hsts'
          : 'cookies-without-secure-flag',
      );
    if (antiCsrf && !sameSite) worse('cookies-anticsrf-without-samesite-flag');
    if (session && !cookie.secure)
      worse(
        hstsPass
          ? 'cookies-session-without-secure-flag-but-protected-by-hsts'
          : 'cookies-session-without-secure-flag',
      );
    if (session && !cookie.httpOnly) worse('cookies-session-without-httponly-flag');
    if (!sameSite) missingSameSite = true;
    data[cookie.key] = {
      domain: cookie.domain,
      path: cookie.path,
      secure: cookie.secure,
      httponly: cookie.httpOnly,
      samesite: sameSite,
    };
  }
  const code: ResultCode =
    result ??
    (missingSameSite
      ? 'cookies-secure-with-httponly-sessions'
      : 'cookies-secure-with-httponly-sessions-and-samesite');
  // Cookie values may be session secrets: the evidence keeps names and attributes only.
  const evidence = site.cookies.map((c) => c.header.replace(/^([^=;]*)=[^;]*/, '$1=…')).join('\n');
  return [finding(code, evidence || null, { cookies: data })];
};
