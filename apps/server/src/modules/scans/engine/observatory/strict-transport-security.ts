// strict-transport-security: the header on the final response of the https:// chain, which
// counts only with a verified certificate; a host on the HSTS preload list passes regardless.
import type { Check, CheckContext, RetrievedSite } from '../types.js';
import type { ResultCode } from './results.js';
import { finalResponse, finding, header, verified } from './site.js';

// Six months is 15768000 s, but 180 days (15552000) is common and Observatory accepts it.
export const SIX_MONTHS = 15_552_000;

export interface HstsAnalysis {
  result: ResultCode;
  evidence: string | null;
  maxAge: number | null;
  includeSubDomains: boolean;
  preload: boolean;
  preloaded: boolean;
}

export function analyseHsts(site: RetrievedSite, context: CheckContext): HstsAnalysis {
  const response = finalResponse(site.https);
  const out: HstsAnalysis = {
    result: 'hsts-not-implemented',
    evidence: null,
    maxAge: null,
    includeSubDomains: false,
    preload: false,
    preloaded: false,
  };
  if (!response) {
    out.result = 'hsts-not-implemented-no-https';
  } else if (!verified(site.https)) {
    out.result = 'hsts-invalid-cert';
  } else {
    const value = header(response, 'strict-transport-security');
    if (value !== null) {
      out.evidence = value.slice(0, 1024);
      out.result = parseHsts(out.evidence, out);
    }
  }
  if (response && context.isPreloaded(site.hostname)) {
    out.result = 'hsts-preloaded';
    out.preloaded = true;
  }
  return out;
}

function parseHsts(value: string, out: HstsAnalysis): ResultCode {
  // A comma means the header was sent more than once: browsers then ignore it.
  if (value.includes(',')) return 'hsts-header-invalid';
  for (const part of value.split(';').map((p) => p.trim().toLowerCase())) {
    if (part.startsWith('max-age=')) out.maxAge = Number.parseInt(part.slice(8, 128), 10);
    else if (part === 'includesubdomains') out.includeSubDomains = true;
    else if (part === 'preload') out.preload = true;
  }
  // parseInt of a non-number gives NaN; NaN is not less than six months.
  if (out.maxAge === null) return 'hsts-header-invalid';
  return out.maxAge < SIX_MONTHS
    ? 'hsts-implemented-max-age-less-than-six-months'
    : 'hsts-implemented-max-age-at-least-six-months';
}

export const strictTransportSecurity: Check = (site, context) => {
  const a = analyseHsts(site, context);
  return [
    finding(a.result, a.evidence, {
      maxAge: a.maxAge,
      includeSubDomains: a.includeSubDomains,
      preload: a.preload,
      preloaded: a.preloaded,
    }),
  ];
};
