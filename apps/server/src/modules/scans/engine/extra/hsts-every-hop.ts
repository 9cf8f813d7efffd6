// HSTS on every HTTPS response of both redirect chains, not only the final one (which is all
// Observatory looks at). A browser that first reaches https://example.com and is redirected to
// https://www.example.com only remembers HSTS for example.com if that first response set it, so
// a later typed `example.com` can still go out over http and be intercepted.
import type { Check, Hop } from '../types.js';
import { DOCS, finding, headerValues } from './finding.js';

const TEST = 'hsts-every-hop';
const MAX_EVIDENCE = 5;

/** The max-age of a Strict-Transport-Security value (the first header counts), or null. */
export function hstsMaxAge(hop: Hop): number | null {
  const first = headerValues(hop, 'strict-transport-security')[0];
  const match = first ? /(?:^|;)\s*max-age\s*=\s*"?(\d+)"?\s*(?:;|$)/i.exec(first) : null;
  return match ? Number(match[1]) : null;
}

export const hstsEveryHop: Check = (site) => {
  const seen = new Set<string>();
  const hops: Hop[] = [];
  for (const hop of [...site.http.hops, ...site.https.hops]) {
    // The same URL may appear in both chains (http → https lands where the https chain starts).
    if (!hop.url.startsWith('https:') || seen.has(hop.url)) continue;
    seen.add(hop.url);
    hops.push(hop);
  }
  if (hops.length === 0) {
    return [
      finding({
        test: TEST,
        result: 'hsts-every-hop-not-applicable',
        pass: null,
        severity: 'info',
        description: 'No HTTPS response was received.',
        docs: DOCS.hsts,
      }),
    ];
  }
  const missing = hops.filter((hop) => {
    const maxAge = hstsMaxAge(hop);
    return maxAge === null || maxAge === 0;
  });
  const data = { checked: hops.map((hop) => hop.url), missing: missing.map((hop) => hop.url) };
  if (missing.length > 0) {
    const list = missing
      .slice(0, MAX_EVIDENCE)
      .map((hop) => `${hop.url} (${hop.status})`)
      .join(', ');
    return [
      finding({
        test: TEST,
        result: 'hsts-missing-on-some-hops',
        pass: false,
        severity: 'medium',
        description: `${missing.length} of ${hops.length} HTTPS responses set no Strict-Transport-Security.`,
        evidence:
          list + (missing.length > MAX_EVIDENCE ? ` (+${missing.length - MAX_EVIDENCE} more)` : ''),
        recommendation:
          'Send Strict-Transport-Security on every HTTPS response, redirects included (set it in the TLS-terminating proxy).',
        docs: DOCS.hsts,
        data,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'hsts-on-every-hop',
      pass: true,
      severity: 'info',
      description: `All ${hops.length} HTTPS responses set Strict-Transport-Security.`,
      evidence: hops.map((hop) => hop.url).join(', '),
      docs: DOCS.hsts,
      data,
    }),
  ];
};
