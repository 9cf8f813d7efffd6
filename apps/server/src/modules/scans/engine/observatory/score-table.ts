// The score table: sites (as SiteSpecs) with the exact score and grade algorithm 6 gives them.
// score.test.ts checks our checks + scoreObservatory against it; crosscheck.ts serves every row
// to MDN's own scanner and compares. Scores are worked out by hand in each row's comment.
import type { ScanGrade } from '@bastion/contract';
import type { SiteSpec } from './test-site.js';

export interface ScoreRow {
  name: string;
  spec: SiteSpec;
  score: number;
  grade: ScanGrade;
  /** Results the row is about (test name → result code). */
  results?: Record<string, string>;
  /**
   * Where MDN's scanner contradicts its own documented rule we follow the rule; this is what
   * the scanner gives instead, and why (the cross-check expects it).
   */
  mdn?: { score: number; grade: ScanGrade; why: string };
}

/** A documented penalty MDN's live scan never applies (cross-origin-resource-sharing.test.ts). */
const CORS_WHY =
  "MDN's scanner never sees the Origin it sent (it reads headers off Node's request object, which has none), so it cannot detect a reflected origin live; its own unit test fakes them";

const STRICT_CSP =
  "default-src 'none'; img-src 'self'; script-src 'self'; style-src 'self'; form-action 'self'; frame-ancestors 'none'";
const HSTS = 'max-age=31536000';

/** +10 CSP, +5 frame-ancestors, +5 Referrer-Policy, no penalty: 120. */
const GOOD: Record<string, string> = {
  'content-security-policy': STRICT_CSP,
  'strict-transport-security': HSTS,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
/** Good, but without CSP: HSTS, nosniff, XFO DENY (+5), referrer (+5). */
const NO_CSP: Record<string, string> = {
  'strict-transport-security': HSTS,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};
const without = (headers: Record<string, string>, ...names: string[]) =>
  Object.fromEntries(Object.entries(headers).filter(([n]) => !names.includes(n)));
const good = (extra: Record<string, string> = {}, spec: SiteSpec = {}): SiteSpec => ({
  ...spec,
  headers: { ...GOOD, ...extra },
});
const page = (body: string) =>
  `<!doctype html><html><head><title>t</title>${body}</head><body></body></html>`;

export const SCORE_TABLE: ScoreRow[] = [
  // 100 - CSP 25 - HSTS 20 - XCTO 5 - XFO 20
  { name: 'no security headers', spec: {}, score: 30, grade: 'D' },
  { name: 'all good headers', spec: good(), score: 120, grade: 'A+' },
  {
    name: 'good without Referrer-Policy',
    spec: { headers: without(GOOD, 'referrer-policy') },
    score: 115,
    grade: 'A+',
  },
  {
    name: "CSP default-src 'self' + XFO DENY",
    spec: {
      headers: {
        'content-security-policy': "default-src 'self'",
        'strict-transport-security': HSTS,
        'x-content-type-options': 'nosniff',
        'x-frame-options': 'DENY',
      },
    },
    score: 110,
    grade: 'A+',
    results: { 'content-security-policy': 'csp-implemented-with-no-unsafe' },
  },
  // 100 - 25 = 75 < 90: the XFO and referrer bonuses do not count.
  { name: 'no CSP: bonuses lost', spec: { headers: NO_CSP }, score: 75, grade: 'B' },
  // 100 - 5 - 5 = 90: just enough for the +10 and +5 bonuses.
  {
    name: 'base exactly 90 keeps bonuses',
    spec: {
      headers: { ...without(GOOD, 'x-content-type-options'), 'referrer-policy': 'unsafe-url' },
    },
    score: 105,
    grade: 'A+',
    results: { 'referrer-policy': 'referrer-policy-unsafe' },
  },
  {
    name: 'base 80 loses bonuses',
    spec: {
      headers: {
        ...without(GOOD, 'x-content-type-options'),
        'referrer-policy': 'unsafe-url',
        'strict-transport-security': 'max-age=86400',
      },
    },
    score: 80,
    grade: 'B+',
  },
  {
    name: 'HSTS under six months',
    spec: good({ 'strict-transport-security': 'max-age=86400' }),
    score: 110,
    grade: 'A+',
    results: { 'strict-transport-security': 'hsts-implemented-max-age-less-than-six-months' },
  },
  {
    name: 'HSTS without max-age',
    spec: good({ 'strict-transport-security': 'includeSubDomains' }),
    score: 80,
    grade: 'B+',
    results: { 'strict-transport-security': 'hsts-header-invalid' },
  },
  {
    name: "CSP 'unsafe-inline'",
    spec: good({
      'content-security-policy': "default-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    }),
    score: 80,
    grade: 'B+',
    results: { 'content-security-policy': 'csp-implemented-with-unsafe-inline' },
  },
  // 100 - 10 = 90: bonuses XFO +5, referrer +5.
  {
    name: "CSP 'unsafe-eval'",
    spec: good({
      'content-security-policy':
        "default-src 'self'; script-src 'self' 'unsafe-eval'; frame-ancestors 'none'",
    }),
    score: 100,
    grade: 'A+',
    results: { 'content-security-policy': 'csp-implemented-with-unsafe-eval' },
  },
  {
    name: 'CSP http: images on HTTPS',
    spec: good({
      'content-security-policy':
        "default-src 'none'; img-src http://img.example.com; frame-ancestors 'none'",
    }),
    score: 100,
    grade: 'A+',
    results: {
      'content-security-policy': 'csp-implemented-with-insecure-scheme-in-passive-content-only',
    },
  },
  {
    name: 'CSP http: scripts on HTTPS',
    spec: good({
      'content-security-policy':
        "default-src 'self'; script-src http://cdn.example.com; frame-ancestors 'none'",
    }),
    score: 80,
    grade: 'B+',
    results: { 'content-security-policy': 'csp-implemented-with-insecure-scheme' },
  },
  {
    name: "CSP 'unsafe-inline' styles only",
    spec: good({
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    }),
    score: 110,
    grade: 'A+',
    results: { 'content-security-policy': 'csp-implemented-with-unsafe-inline-in-style-src-only' },
  },
  {
    name: 'CSP report-only',
    spec: { headers: { ...NO_CSP, 'content-security-policy-report-only': "default-src 'none'" } },
    score: 75,
    grade: 'B',
    results: { 'content-security-policy': 'csp-not-implemented-but-reporting-enabled' },
  },
  {
    name: 'CSP with a repeated directive',
    spec: {
      headers: { ...NO_CSP, 'content-security-policy': "default-src 'none'; default-src 'self'" },
    },
    score: 75,
    grade: 'B',
    results: { 'content-security-policy': 'csp-header-invalid' },
  },
  {
    name: 'CSP in a meta tag',
    spec: {
      headers: NO_CSP,
      html: page(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'">`),
    },
    score: 120,
    grade: 'A+',
    results: { 'content-security-policy': 'csp-implemented-with-no-unsafe-default-src-none' },
  },
  {
    name: 'good cookies (+5)',
    spec: good({}, { cookies: ['id=1; Secure; HttpOnly; SameSite=Lax'] }),
    score: 125,
    grade: 'A+',
    results: { cookies: 'cookies-secure-with-httponly-sessions-and-samesite' },
  },
  {
    name: 'session cookie without Secure under HSTS',
    spec: good({}, { cookies: ['sessionid=1; HttpOnly; SameSite=Lax'] }),
    score: 110,
    grade: 'A+',
    results: { cookies: 'cookies-session-without-secure-flag-but-protected-by-hsts' },
  },
  {
    name: 'session cookie without HttpOnly',
    spec: good({}, { cookies: ['sessionid=1; Secure; SameSite=Lax'] }),
    score: 70,
    grade: 'B',
    results: { cookies: 'cookies-session-without-httponly-flag' },
  },
  // - HSTS 20 - cookie 20
  {
    name: 'cookie without Secure, no HSTS',
    spec: {
      headers: without(GOOD, 'strict-transport-security'),
      cookies: ['theme=1; SameSite=Lax'],
    },
    score: 60,
    grade: 'C+',
    results: { cookies: 'cookies-without-secure-flag' },
  },
  {
    name: 'CORS reflecting origin with credentials',
    spec: good(
      {},
      {
        cors: {
          'access-control-allow-origin': 'reflect',
          'access-control-allow-credentials': 'true',
        },
      },
    ),
    score: 50,
    grade: 'C',
    results: {
      'cross-origin-resource-sharing':
        'cross-origin-resource-sharing-implemented-with-universal-access',
    },
    mdn: { score: 120, grade: 'A+', why: CORS_WHY },
  },
  {
    name: 'CORS public',
    spec: good({}, { cors: { 'access-control-allow-origin': '*' } }),
    score: 120,
    grade: 'A+',
    results: {
      'cross-origin-resource-sharing':
        'cross-origin-resource-sharing-implemented-with-public-access',
    },
  },
  {
    name: 'HTTP does not redirect',
    spec: good({}, { http: 'stay' }),
    score: 80,
    grade: 'B+',
    results: { redirection: 'redirection-missing' },
  },
  {
    name: 'HTTP redirects to HTTPS on another host',
    spec: good({}, { http: ['http://site.obs.test/', 'https://www.site.obs.test/'] }),
    score: 115,
    grade: 'A+',
    results: { redirection: 'redirection-off-host-from-http' },
  },
  {
    name: 'HTTP redirects to HTTP first',
    spec: good(
      {},
      { http: ['http://site.obs.test/', 'http://site.obs.test/next', 'https://site.obs.test/'] },
    ),
    score: 110,
    grade: 'A+',
    results: { redirection: 'redirection-not-to-https-on-initial-redirection' },
  },
  {
    name: 'HTTP redirects but stays on HTTP',
    spec: good({}, { http: ['http://site.obs.test/', 'http://site.obs.test/next'] }),
    score: 80,
    grade: 'B+',
    results: { redirection: 'redirection-not-to-https' },
  },
  {
    name: 'no plain HTTP',
    spec: good({}, { http: 'none' }),
    score: 120,
    grade: 'A+',
    results: { redirection: 'redirection-not-needed-no-http' },
  },
  // - HSTS 20 - redirection 20 = 60: bonuses lost.
  {
    name: 'no HTTPS',
    spec: good({}, { http: 'stay', https: 'none' }),
    score: 60,
    grade: 'C+',
    results: {
      'strict-transport-security': 'hsts-not-implemented-no-https',
      redirection: 'redirection-missing',
    },
  },
  {
    name: 'certificate does not verify',
    spec: good({}, { https: 'bad-cert' }),
    score: 60,
    grade: 'C+',
    results: {
      'strict-transport-security': 'hsts-invalid-cert',
      redirection: 'redirection-invalid-cert',
    },
  },
  // No HSTS header, but preloaded: +5; every redirect host preloaded.
  {
    name: 'preloaded host',
    spec: { host: 'preloaded.obs.test', headers: without(GOOD, 'strict-transport-security') },
    score: 125,
    grade: 'A+',
    results: {
      'strict-transport-security': 'hsts-preloaded',
      redirection: 'redirection-all-redirects-preloaded',
    },
  },
  {
    name: 'foreign script over HTTPS without SRI',
    spec: good({}, { html: page('<script src="https://cdn.example.net/a.js"></script>') }),
    score: 115,
    grade: 'A+',
    results: {
      'subresource-integrity': 'sri-not-implemented-but-external-scripts-loaded-securely',
    },
  },
  {
    name: 'foreign script with SRI',
    spec: good(
      {},
      {
        html: page(
          '<script src="https://cdn.example.net/a.js" integrity="sha384-x" crossorigin="anonymous"></script>',
        ),
      },
    ),
    score: 125,
    grade: 'A+',
    results: { 'subresource-integrity': 'sri-implemented-and-external-scripts-loaded-securely' },
  },
  {
    name: 'foreign script over HTTP without SRI',
    spec: good({}, { html: page('<script src="http://cdn.example.net/a.js"></script>') }),
    score: 50,
    grade: 'C',
    results: {
      'subresource-integrity': 'sri-not-implemented-and-external-scripts-not-loaded-securely',
    },
  },
  {
    name: 'COOP + COEP + CORP bonuses',
    spec: good({
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'same-origin',
    }),
    score: 150,
    grade: 'A+',
    results: {
      'cross-origin-opener-policy': 'coop-implemented-with-same-origin',
      'cross-origin-embedder-policy': 'coep-implemented-with-require-corp',
      'cross-origin-resource-policy': 'corp-implemented-with-same-origin',
    },
  },
  {
    name: 'isolation bonuses do not rescue a weak site',
    spec: {
      headers: {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'credentialless',
        'cross-origin-resource-policy': 'same-site',
      },
    },
    score: 30,
    grade: 'D',
  },
  // - 15 = 85 < 90: bonuses lost.
  {
    name: 'invalid COOP, COEP and CORP',
    spec: good({
      'cross-origin-opener-policy': '"same-origin"',
      'cross-origin-embedder-policy': 'nope',
      'cross-origin-resource-policy': 'nope',
    }),
    score: 85,
    grade: 'A-',
  },
  {
    name: 'invalid X-Frame-Options without frame-ancestors',
    spec: good({ 'content-security-policy': "default-src 'none'", 'x-frame-options': 'maybe' }),
    score: 80,
    grade: 'B+',
    results: { 'x-frame-options': 'x-frame-options-header-invalid' },
  },
  // 100 - XCTO 5 = 95, no bonus anywhere (ALLOW-FROM 0, style-only CSP 0).
  {
    name: 'grade A without bonuses',
    spec: {
      headers: {
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'strict-transport-security': HSTS,
        'x-frame-options': 'ALLOW-FROM https://a.example',
      },
    },
    score: 95,
    grade: 'A',
  },
  {
    name: 'grade B-',
    spec: {
      headers: {
        ...NO_CSP,
        'referrer-policy': 'unsafe-url',
        'cross-origin-resource-policy': 'nope',
      },
    },
    score: 65,
    grade: 'B-',
  },
  {
    name: 'grade C-',
    spec: {
      headers: {
        ...without(NO_CSP, 'strict-transport-security'),
        'referrer-policy': 'unsafe-url',
        'cross-origin-opener-policy': 'nope',
      },
    },
    score: 45,
    grade: 'C-',
  },
  {
    name: 'grade D+',
    spec: {
      headers: {
        'x-frame-options': 'DENY',
        'referrer-policy': 'unsafe-url',
        'cross-origin-embedder-policy': 'nope',
      },
    },
    score: 40,
    grade: 'D+',
  },
  {
    name: 'grade D-',
    spec: { headers: { 'referrer-policy': 'unsafe-url' } },
    score: 25,
    grade: 'D-',
  },
  {
    name: 'grade F',
    spec: { headers: { 'referrer-policy': 'unsafe-url', 'cross-origin-resource-policy': 'nope' } },
    score: 20,
    grade: 'F',
  },
  // Documented rule: frame-ancestors is ignored in <meta> (x-frame-options.test.ts).
  {
    name: 'frame-ancestors only in a meta tag',
    spec: {
      headers: without(NO_CSP, 'x-frame-options'),
      html: page(
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; frame-ancestors 'none'">`,
      ),
    },
    score: 80,
    grade: 'B+',
    results: { 'x-frame-options': 'x-frame-options-not-implemented' },
    mdn: {
      score: 120,
      grade: 'A+',
      why: "MDN's X-Frame-Options test counts frame-ancestors from <meta>, which browsers ignore",
    },
  },
  // Far below zero: clamped.
  {
    name: 'everything wrong',
    spec: {
      headers: {
        'strict-transport-security': 'max-age=60',
        'x-content-type-options': 'sniff',
        'x-frame-options': 'maybe',
        'referrer-policy': 'unsafe-url',
        'cross-origin-resource-policy': 'nope',
      },
      cookies: ['sessionid=1; SameSite=Lax'],
      cors: {
        'access-control-allow-origin': 'reflect',
        'access-control-allow-credentials': 'true',
      },
      html: page('<script src="http://cdn.example.net/a.js"></script>'),
    },
    score: 0,
    grade: 'F',
    mdn: { score: 0, grade: 'F', why: CORS_WHY },
  },
];
