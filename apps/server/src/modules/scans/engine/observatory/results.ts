// Every result code of MDN's HTTP Observatory (algorithm version 6) with its score modifier, and
// our own wording of what it means and what to do. The codes and modifiers must stay exactly
// Observatory's: users compare grades and feed the codes to their own tooling.
import type { FindingSeverity, ObservatoryTestName } from '@bastion/contract';

export interface ResultInfo {
  test: ObservatoryTestName;
  modifier: number;
  /** Passes the test (Observatory's `pass`). */
  pass: boolean;
  description: string;
  recommendation: string | null;
}

const r = (
  test: ObservatoryTestName,
  modifier: number,
  pass: boolean,
  description: string,
  recommendation: string | null = null,
): ResultInfo => ({ test, modifier, pass, description, recommendation });

const CSP = 'content-security-policy';
const COOKIES = 'cookies';
const CORS = 'cross-origin-resource-sharing';
const REDIR = 'redirection';
const REF = 'referrer-policy';
const HSTS = 'strict-transport-security';
const SRI = 'subresource-integrity';
const XCTO = 'x-content-type-options';
const XFO = 'x-frame-options';
const CORP = 'cross-origin-resource-policy';
const COOP = 'cross-origin-opener-policy';
const COEP = 'cross-origin-embedder-policy';

const HTTPS_FIRST =
  'Redirect http:// to https:// on the same host first, then on to any other host over HTTPS.';

export const RESULTS = {
  // Content-Security-Policy
  'csp-implemented-with-no-unsafe-default-src-none': r(
    CSP,
    10,
    true,
    "A Content Security Policy is enforced with default-src 'none' and no unsafe sources.",
  ),
  'csp-implemented-with-no-unsafe': r(
    CSP,
    5,
    true,
    "A Content Security Policy is enforced without 'unsafe-inline' or 'unsafe-eval'.",
    "Tighten it further with default-src 'none', allowing each resource type explicitly.",
  ),
  'csp-implemented-with-unsafe-inline-in-style-src-only': r(
    CSP,
    0,
    true,
    "The policy is safe for scripts, but style-src allows 'unsafe-inline', data: or an overly broad source.",
    "Remove 'unsafe-inline', data: and scheme-wide sources from style-src (use hashes or nonces).",
  ),
  'csp-implemented-with-insecure-scheme-in-passive-content-only': r(
    CSP,
    -10,
    true,
    'The policy lets images or media load over plain HTTP on an HTTPS site.',
    'Allow only https: sources in img-src and media-src (or default-src).',
  ),
  'csp-implemented-with-unsafe-eval': r(
    CSP,
    -10,
    false,
    "The policy allows 'unsafe-eval'.",
    "Stop using eval() and similar string-to-code calls, then drop 'unsafe-eval'.",
  ),
  'csp-implemented-with-unsafe-inline': r(
    CSP,
    -20,
    false,
    "The policy does not protect against script injection: script-src allows 'unsafe-inline' or data:, a scheme-wide source is allowed for scripts or objects, or script-src / object-src is not restricted at all.",
    "Remove 'unsafe-inline' and data: from script-src (use nonces or hashes), avoid sources such as https: or *, and set script-src and object-src (or default-src).",
  ),
  'csp-implemented-with-insecure-scheme': r(
    CSP,
    -20,
    false,
    'The policy lets scripts or other active content load over plain HTTP on an HTTPS site.',
    'Remove every http: source from the policy and serve those resources over HTTPS.',
  ),
  'csp-header-invalid': r(
    CSP,
    -25,
    false,
    'The Content Security Policy cannot be parsed (empty or too short policy, a repeated directive, or strict-dynamic without a nonce or hash).',
    'Fix the policy syntax; every directive once per policy, separated by semicolons.',
  ),
  'csp-not-implemented': r(
    CSP,
    -25,
    false,
    'No Content Security Policy is enforced.',
    "Send a Content-Security-Policy header; start from default-src 'none' and allow what the page needs.",
  ),
  'csp-not-implemented-but-reporting-enabled': r(
    CSP,
    -25,
    false,
    'Only Content-Security-Policy-Report-Only is sent: violations are reported, not blocked.',
    'Once the reports are clean, send the same policy as Content-Security-Policy.',
  ),
  'csp-implemented-but-duplicate-directives': r(
    CSP,
    0,
    true,
    'The policy is good, but report-uri or report-to appears more than once in a policy.',
    'Keep each reporting directive once.',
  ),
  // Cookies
  'cookies-secure-with-httponly-sessions-and-samesite': r(
    COOKIES,
    5,
    true,
    'Every cookie is Secure, session cookies are HttpOnly, and every cookie sets SameSite.',
  ),
  'cookies-secure-with-httponly-sessions': r(
    COOKIES,
    0,
    true,
    'Every cookie is Secure and session cookies are HttpOnly, but not every cookie sets SameSite.',
    'Add SameSite=Lax (or Strict) to every cookie.',
  ),
  'cookies-not-found': r(COOKIES, 0, true, 'The site sets no cookies.'),
  'cookies-without-secure-flag-but-protected-by-hsts': r(
    COOKIES,
    -5,
    false,
    'A cookie lacks the Secure flag; HSTS keeps it off plain HTTP.',
    'Add the Secure flag to every cookie.',
  ),
  'cookies-session-without-secure-flag-but-protected-by-hsts': r(
    COOKIES,
    -10,
    false,
    'A session cookie lacks the Secure flag; HSTS keeps it off plain HTTP.',
    'Add the Secure flag to every cookie.',
  ),
  'cookies-without-secure-flag': r(
    COOKIES,
    -20,
    false,
    'A cookie lacks the Secure flag (or was set over HTTP) and no HSTS protects it.',
    'Add the Secure flag to every cookie and enable HSTS.',
  ),
  'cookies-samesite-flag-invalid': r(
    COOKIES,
    -20,
    false,
    'A cookie sets SameSite to an unknown value, or SameSite=None without Secure.',
    'Use SameSite=Lax or Strict (None only together with Secure).',
  ),
  'cookies-anticsrf-without-samesite-flag': r(
    COOKIES,
    -20,
    false,
    'An anti-CSRF cookie is set without SameSite.',
    'Set SameSite=Lax or Strict on the anti-CSRF cookie.',
  ),
  'cookies-session-without-httponly-flag': r(
    COOKIES,
    -30,
    false,
    'A session cookie can be read by scripts: it lacks HttpOnly.',
    'Add HttpOnly to session and login cookies.',
  ),
  'cookies-session-without-secure-flag': r(
    COOKIES,
    -40,
    false,
    'A session cookie lacks the Secure flag (or was set over HTTP) and no HSTS protects it.',
    'Add the Secure flag to session cookies and enable HSTS.',
  ),
  // CORS
  'cross-origin-resource-sharing-not-implemented': r(
    CORS,
    0,
    true,
    'The content is not shared with other origins through CORS.',
  ),
  'cross-origin-resource-sharing-implemented-with-public-access': r(
    CORS,
    0,
    true,
    'Access-Control-Allow-Origin: * shares public content with every origin (without credentials).',
  ),
  'cross-origin-resource-sharing-implemented-with-restricted-access': r(
    CORS,
    0,
    true,
    'CORS shares the content with specific origins only.',
  ),
  'cross-origin-resource-sharing-implemented-with-universal-access': r(
    CORS,
    -50,
    false,
    "The server reflects any Origin in Access-Control-Allow-Origin and allows credentials: any site can read responses with the user's cookies.",
    'Allow credentials only for a fixed list of trusted origins; for public data use * without Access-Control-Allow-Credentials.',
  ),
  // Redirection
  'redirection-all-redirects-preloaded': r(
    REDIR,
    0,
    true,
    'Every host in the redirect chain is on the HSTS preload list.',
  ),
  'redirection-to-https': r(
    REDIR,
    0,
    true,
    'HTTP redirects to HTTPS on the same host first and ends on HTTPS.',
  ),
  'redirection-not-needed-no-http': r(
    REDIR,
    0,
    true,
    'The site does not answer on plain HTTP, so no redirect is needed.',
  ),
  'redirection-off-host-from-http': r(
    REDIR,
    -5,
    false,
    'HTTP redirects straight to HTTPS on another host, so this host never gets to set HSTS.',
    HTTPS_FIRST,
  ),
  'redirection-not-to-https-on-initial-redirection': r(
    REDIR,
    -10,
    false,
    'HTTP ends on HTTPS, but the first redirect goes to another http:// URL.',
    HTTPS_FIRST,
  ),
  'redirection-not-to-https': r(
    REDIR,
    -20,
    false,
    'HTTP redirects, but the chain does not end on HTTPS.',
    HTTPS_FIRST,
  ),
  'redirection-missing': r(REDIR, -20, false, 'HTTP does not redirect to HTTPS.', HTTPS_FIRST),
  'redirection-invalid-cert': r(
    REDIR,
    -20,
    false,
    'The redirect chain reaches an HTTPS host whose certificate does not verify.',
    'Install a certificate that chains to a trusted CA and names the host.',
  ),
  // Referrer-Policy
  'referrer-policy-private': r(
    REF,
    5,
    true,
    'Referrer-Policy is no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.',
  ),
  'referrer-policy-not-implemented': r(
    REF,
    0,
    true,
    'No Referrer-Policy is set (browsers default to strict-origin-when-cross-origin).',
    'Set Referrer-Policy: strict-origin-when-cross-origin (or stricter) for the bonus.',
  ),
  'referrer-policy-unsafe': r(
    REF,
    -5,
    false,
    'Referrer-Policy leaks full URLs or origins (origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade).',
    'Use strict-origin-when-cross-origin or stricter.',
  ),
  'referrer-policy-header-invalid': r(
    REF,
    -5,
    false,
    'Referrer-Policy holds no value a browser recognises.',
    'Use strict-origin-when-cross-origin or stricter.',
  ),
  // HSTS
  'hsts-preloaded': r(HSTS, 5, true, 'The host is on the HSTS preload list.'),
  'hsts-implemented-max-age-at-least-six-months': r(
    HSTS,
    0,
    true,
    'Strict-Transport-Security is set with a max-age of at least six months.',
    'Consider preloading: max-age of a year or more, includeSubDomains, preload, then submit the domain to the preload list.',
  ),
  'hsts-implemented-max-age-less-than-six-months': r(
    HSTS,
    -10,
    false,
    'Strict-Transport-Security max-age is shorter than six months (15552000 s).',
    'Raise max-age to at least 15552000 (better 31536000).',
  ),
  'hsts-not-implemented': r(
    HSTS,
    -20,
    false,
    'The HTTPS response does not send Strict-Transport-Security.',
    'Send Strict-Transport-Security: max-age=31536000 (roll out with a shorter max-age first).',
  ),
  'hsts-header-invalid': r(
    HSTS,
    -20,
    false,
    'Strict-Transport-Security cannot be parsed (no max-age, or sent more than once).',
    'Send one header: max-age=<seconds>[; includeSubDomains][; preload].',
  ),
  'hsts-not-implemented-no-https': r(
    HSTS,
    -20,
    false,
    'The site is not reachable over HTTPS, so HSTS cannot be set.',
    'Serve the site over HTTPS with a valid certificate.',
  ),
  'hsts-invalid-cert': r(
    HSTS,
    -20,
    false,
    'The HTTPS certificate does not verify, so browsers ignore HSTS.',
    'Install a certificate that chains to a trusted CA and names the host.',
  ),
  // Subresource Integrity
  'sri-implemented-and-all-scripts-loaded-securely': r(
    SRI,
    5,
    true,
    'Scripts come from the same site over HTTPS and use integrity attributes.',
  ),
  'sri-implemented-and-external-scripts-loaded-securely': r(
    SRI,
    5,
    true,
    'Scripts from other sites are loaded over HTTPS with integrity attributes.',
  ),
  'sri-not-implemented-response-not-html': r(
    SRI,
    0,
    true,
    'The response is not HTML, so Subresource Integrity does not apply.',
  ),
  'sri-not-implemented-but-no-scripts-loaded': r(SRI, 0, true, 'The page has no script elements.'),
  'sri-not-implemented-but-all-scripts-loaded-from-secure-origin': r(
    SRI,
    0,
    true,
    'Every script comes from the same site; none uses an integrity attribute.',
    'Add integrity attributes for the bonus.',
  ),
  'sri-not-implemented-but-external-scripts-loaded-securely': r(
    SRI,
    -5,
    false,
    'Scripts from other sites load over HTTPS but without integrity attributes.',
    'Add integrity (and crossorigin) attributes to scripts from other sites.',
  ),
  'sri-implemented-but-external-scripts-not-loaded-securely': r(
    SRI,
    -20,
    false,
    'Scripts from other sites have integrity attributes but load over HTTP or a protocol-relative URL.',
    'Load every script over https://.',
  ),
  'sri-not-implemented-and-external-scripts-not-loaded-securely': r(
    SRI,
    -50,
    false,
    'Scripts from other sites load over HTTP or a protocol-relative URL without integrity attributes.',
    'Load every script over https:// and add integrity attributes to those from other sites.',
  ),
  'html-not-parseable': r(
    SRI,
    -20,
    false,
    'The response claims to be HTML but could not be parsed.',
    'Serve well-formed HTML.',
  ),
  // X-Content-Type-Options
  'x-content-type-options-nosniff': r(XCTO, 0, true, 'X-Content-Type-Options is nosniff.'),
  'x-content-type-options-not-implemented': r(
    XCTO,
    -5,
    false,
    'X-Content-Type-Options is not set.',
    'Send X-Content-Type-Options: nosniff.',
  ),
  'x-content-type-options-header-invalid': r(
    XCTO,
    -5,
    false,
    'X-Content-Type-Options has a value other than nosniff.',
    'Send X-Content-Type-Options: nosniff.',
  ),
  // X-Frame-Options
  'x-frame-options-implemented-via-csp': r(
    XFO,
    5,
    true,
    'Framing is controlled by the CSP frame-ancestors directive.',
  ),
  'x-frame-options-sameorigin-or-deny': r(XFO, 5, true, 'X-Frame-Options is DENY or SAMEORIGIN.'),
  'x-frame-options-allow-from-origin': r(
    XFO,
    0,
    true,
    'X-Frame-Options uses ALLOW-FROM, which current browsers ignore.',
    "Use the CSP directive frame-ancestors instead (e.g. frame-ancestors 'self').",
  ),
  'x-frame-options-not-implemented': r(
    XFO,
    -20,
    false,
    'Nothing stops other sites from framing the page (clickjacking).',
    "Send Content-Security-Policy: frame-ancestors 'none' (or 'self'), or X-Frame-Options: DENY.",
  ),
  'x-frame-options-header-invalid': r(
    XFO,
    -20,
    false,
    'X-Frame-Options has a value browsers do not recognise.',
    'Use frame-ancestors in the CSP, or X-Frame-Options: DENY / SAMEORIGIN.',
  ),
  // Cross-Origin-Resource-Policy
  'corp-not-implemented': r(
    CORP,
    0,
    true,
    'Cross-Origin-Resource-Policy is not set (resources may be embedded cross-origin).',
  ),
  'corp-implemented-with-same-origin': r(
    CORP,
    10,
    true,
    'Cross-Origin-Resource-Policy is same-origin.',
  ),
  'corp-implemented-with-same-site': r(
    CORP,
    10,
    true,
    'Cross-Origin-Resource-Policy is same-site.',
  ),
  'corp-implemented-with-cross-origin': r(
    CORP,
    0,
    true,
    'Cross-Origin-Resource-Policy is cross-origin: any site may embed the resources.',
  ),
  'corp-header-invalid': r(
    CORP,
    -5,
    false,
    'Cross-Origin-Resource-Policy has a value browsers do not recognise.',
    'Use same-origin, same-site or cross-origin.',
  ),
  // Cross-Origin-Opener-Policy
  'coop-not-implemented': r(
    COOP,
    0,
    true,
    'Cross-Origin-Opener-Policy is not set.',
    'Send Cross-Origin-Opener-Policy: same-origin (or same-origin-allow-popups) for the bonus.',
  ),
  'coop-implemented-with-same-origin': r(
    COOP,
    10,
    true,
    'Cross-Origin-Opener-Policy is same-origin: the page is isolated from cross-origin openers.',
  ),
  'coop-implemented-with-same-origin-allow-popups': r(
    COOP,
    10,
    true,
    'Cross-Origin-Opener-Policy is same-origin-allow-popups.',
  ),
  'coop-implemented-with-noopener-allow-popups': r(
    COOP,
    10,
    true,
    'Cross-Origin-Opener-Policy is noopener-allow-popups.',
  ),
  'coop-implemented-with-unsafe-none': r(
    COOP,
    0,
    true,
    'Cross-Origin-Opener-Policy is unsafe-none (the default).',
    'Use same-origin, same-origin-allow-popups or noopener-allow-popups.',
  ),
  'coop-header-invalid': r(
    COOP,
    -5,
    false,
    'Cross-Origin-Opener-Policy cannot be parsed or is sent more than once.',
    'Send one value: same-origin, same-origin-allow-popups, noopener-allow-popups or unsafe-none.',
  ),
  // Cross-Origin-Embedder-Policy
  'coep-not-implemented': r(
    COEP,
    0,
    true,
    'Cross-Origin-Embedder-Policy is not set.',
    'Send Cross-Origin-Embedder-Policy: require-corp or credentialless for the bonus.',
  ),
  'coep-implemented-with-require-corp': r(
    COEP,
    10,
    true,
    'Cross-Origin-Embedder-Policy is require-corp.',
  ),
  'coep-implemented-with-credentialless': r(
    COEP,
    10,
    true,
    'Cross-Origin-Embedder-Policy is credentialless.',
  ),
  'coep-implemented-with-unsafe-none': r(
    COEP,
    0,
    true,
    'Cross-Origin-Embedder-Policy is unsafe-none (the default).',
    'Use require-corp or credentialless.',
  ),
  'coep-header-invalid': r(
    COEP,
    -5,
    false,
    'Cross-Origin-Embedder-Policy cannot be parsed or is sent more than once.',
    'Send one value: require-corp, credentialless or unsafe-none.',
  ),
} as const satisfies Record<string, ResultInfo>;

export type ResultCode = keyof typeof RESULTS;

/** MDN's guide page for each test (the same pages Observatory links to). */
export const DOCS: Record<ObservatoryTestName, string> = {
  'content-security-policy':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/CSP',
  cookies:
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/Cookies',
  'cross-origin-resource-sharing':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/CORS',
  redirection:
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_redirection',
  'referrer-policy':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/Referrer_policy',
  'strict-transport-security':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/TLS#http_strict_transport_security_implementation',
  'subresource-integrity':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Subresource_Integrity',
  'x-content-type-options':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/MIME_types',
  'x-frame-options': 'https://developer.mozilla.org/en-US/docs/Web/Security/Attacks/Clickjacking',
  'cross-origin-resource-policy':
    'https://developer.mozilla.org/en-US/docs/Web/Security/Practical_implementation_guides/CORP',
  'cross-origin-opener-policy':
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Opener-Policy',
  'cross-origin-embedder-policy':
    'https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Cross-Origin-Embedder-Policy',
};

/**
 * Severity follows the size of the penalty, so a -50 outranks a -5 in the UI. Bonuses and
 * neutral results are `info`.
 */
export function severityFor(modifier: number): FindingSeverity {
  if (modifier >= 0) return 'info';
  if (modifier >= -10) return 'low';
  if (modifier >= -20) return 'medium';
  if (modifier >= -40) return 'high';
  return 'critical';
}
