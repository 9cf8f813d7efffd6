// content-security-policy: the enforced policy of the final response (headers and
// `<meta http-equiv>` together), judged for script injection first, then insecure schemes,
// eval, passive content and styles; the first problem found is the result.
import type { Finding } from '@bastion/contract';
import type { Check, RetrievedSite } from '../types.js';
import { CspParseError, parseCsp, parseCspMeta, splitPolicies, type CspMap } from './csp-parser.js';
import type { ResultCode } from './results.js';
import { autoProtocol, finding, header, pageTags } from './site.js';

const BROAD = new Set([
  'ftp:',
  'http:',
  'https:',
  '*',
  'http://*',
  'http://*.*',
  'https://*',
  'https://*.*',
]);
const INLINE = new Set(["'unsafe-inline'", 'data:']);
const isBroad = (s: string) => BROAD.has(s);
const isBroadOrInline = (s: string) => BROAD.has(s) || INLINE.has(s);
const PASSIVE = ['img-src', 'media-src'];
const NONCE_OR_HASH = ["'sha256-", "'sha384-", "'sha512-", "'nonce-"];
const hasNonceOrHash = (sources: Set<string>) =>
  [...sources].some((s) => NONCE_OR_HASH.some((prefix) => s.startsWith(prefix)));
const insecureScheme = (s: string) => s.startsWith('http:') || s.startsWith('ftp:');

export interface CspAnalysis {
  result: ResultCode;
  /** The combined policy, directive → sorted sources (null when none is enforced or it is invalid). */
  policy: Record<string, string[]> | null;
  /** Directives of the header policies alone (frame-ancestors counts only there). */
  headerDirectives: CspMap;
  flags: Record<string, boolean>;
  evidence: string | null;
}

const analysisCache = new WeakMap<RetrievedSite, CspAnalysis>();

function tryParse(parse: () => CspMap): CspMap {
  try {
    return parse();
  } catch (error) {
    if (error instanceof CspParseError) return new Map();
    throw error;
  }
}

export function analyseCsp(site: RetrievedSite): CspAnalysis {
  const cached = analysisCache.get(site);
  if (cached) return cached;
  const analysis = analyse(site);
  analysisCache.set(site, analysis);
  return analysis;
}

function analyse(site: RetrievedSite): CspAnalysis {
  const response = site.final;
  const protocol = autoProtocol(site);
  const none = (result: ResultCode, evidence: string | null = null): CspAnalysis => ({
    result,
    policy: null,
    headerDirectives: new Map(),
    flags: {},
    evidence,
  });
  if (!response || !protocol) return none('csp-not-implemented');

  const headerValue = header(response, 'content-security-policy');
  const headerPolicies = splitPolicies(headerValue === null ? [] : [headerValue]);
  const metaPolicies = splitPolicies(pageTags(site).cspMeta);
  const evidenceParts = [
    ...(headerValue !== null ? [headerValue] : []),
    ...pageTags(site).cspMeta.map((m) => `<meta> ${m}`),
  ];
  const evidence = evidenceParts.length > 0 ? evidenceParts.join('\n') : null;

  let csp: CspMap;
  let duplicates: string[];
  try {
    ({ directives: csp, duplicates } = parseCsp([...headerPolicies, ...metaPolicies]));
  } catch (error) {
    if (error instanceof CspParseError) return none('csp-header-invalid', evidence);
    throw error;
  }
  const headerDirectives = tryParse(() => parseCsp(headerPolicies).directives);
  const metaDirectives = tryParse(() => parseCspMeta(metaPolicies).directives);

  // A meta tag holding only header-only directives enforces nothing.
  if (headerDirectives.size + metaDirectives.size === 0) {
    // Report-Only has no meta form: only the header counts.
    const reportOnly = header(response, 'content-security-policy-report-only');
    return reportOnly
      ? none('csp-not-implemented-but-reporting-enabled', reportOnly)
      : none('csp-not-implemented');
  }

  const all = () => new Set(['*']);
  const baseUri = csp.get('base-uri') ?? all();
  const frameAncestors = headerDirectives.get('frame-ancestors') ?? all();
  const formAction = csp.get('form-action') ?? all();
  const objectSrc = csp.get('object-src') ?? csp.get('default-src') ?? all();
  // Deliberately the same Set objects as in `csp`: what is discounted below (unsafe-inline
  // next to a nonce) is discounted for the policy as a whole, as Observatory does.
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src') ?? all();
  const styleSrc = csp.get('style-src') ?? csp.get('default-src') ?? all();

  let result: ResultCode | null = null;
  const flags: Record<string, boolean> = {};
  const first = (code: ResultCode) => {
    if (result === null) result = code;
  };

  // Browsers ignore 'unsafe-inline' when a nonce or hash is present.
  for (const sources of [scriptSrc, styleSrc]) {
    if (hasNonceOrHash(sources)) sources.delete("'unsafe-inline'");
  }
  // With 'strict-dynamic' (and a nonce or hash) host and scheme sources, 'self' and
  // 'unsafe-inline' are ignored; without a nonce or hash it blocks every script: invalid.
  if (scriptSrc.has("'strict-dynamic'")) {
    if (hasNonceOrHash(scriptSrc)) {
      for (const source of [...scriptSrc]) {
        if (
          [...BROAD].some((b) => source.startsWith(b)) ||
          source === "'self'" ||
          source === "'unsafe-inline'"
        )
          scriptSrc.delete(source);
      }
      flags.strictDynamic = true;
    } else {
      first('csp-header-invalid');
    }
  }

  const active = [...csp]
    .filter(([name]) => !PASSIVE.includes(name) && name !== 'script-src')
    .flatMap(([, sources]) => [...sources]);
  active.push(...scriptSrc);
  const passive = PASSIVE.flatMap((name) => [...(csp.get(name) ?? csp.get('default-src') ?? [])]);

  if ([...scriptSrc].some(isBroadOrInline) || [...objectSrc].some(isBroad)) {
    first('csp-implemented-with-unsafe-inline');
    flags.unsafeInline = true;
  }
  if (protocol === 'https:' && active.some(insecureScheme)) {
    first('csp-implemented-with-insecure-scheme');
    flags.insecureSchemeActive = true;
  }
  if (scriptSrc.has("'unsafe-eval'") || styleSrc.has("'unsafe-eval'")) {
    first('csp-implemented-with-unsafe-eval');
    flags.unsafeEval = true;
  }
  if (protocol === 'https:' && passive.some(insecureScheme)) {
    first('csp-implemented-with-insecure-scheme-in-passive-content-only');
    flags.insecureSchemePassive = true;
  }
  if ([...styleSrc].some(isBroadOrInline)) {
    first('csp-implemented-with-unsafe-inline-in-style-src-only');
    flags.unsafeInlineStyle = true;
  }
  const defaultSrc = csp.get('default-src');
  if (defaultSrc?.has("'none'") && defaultSrc.size === 1) {
    first('csp-implemented-with-no-unsafe-default-src-none');
    flags.defaultNone = true;
  } else {
    first('csp-implemented-with-no-unsafe');
  }
  flags.antiClickjacking = [...frameAncestors].every((s) => !isBroad(s));
  flags.insecureBaseUri = [...baseUri].some(isBroadOrInline);
  flags.insecureFormAction = [...formAction].some(isBroad);
  flags.unsafeObjects = [...objectSrc].some(isBroad);

  let final: ResultCode = result ?? 'csp-implemented-with-no-unsafe';
  const passing: ResultCode[] = [
    'csp-implemented-with-no-unsafe',
    'csp-implemented-with-no-unsafe-default-src-none',
    'csp-implemented-with-unsafe-inline-in-style-src-only',
    'csp-implemented-with-insecure-scheme-in-passive-content-only',
  ];
  if (passing.includes(final) && duplicates.length > 0)
    final = 'csp-implemented-but-duplicate-directives';

  const policy: Record<string, string[]> = {};
  for (const [name, sources] of csp) policy[name] = [...sources].sort();
  return { result: final, policy, headerDirectives, flags, evidence };
}

export const contentSecurityPolicy: Check = (site) => {
  const analysis = analyseCsp(site);
  const result: Finding = finding(analysis.result, analysis.evidence, {
    policy: analysis.policy,
    ...analysis.flags,
  });
  return [result];
};
