// The certificate checks look at every TLS endpoint the scan reached, not only the target's
// own: a redirect from https://example.test to https://www.example.test puts the second
// certificate in front of every visitor too, and its expiry matters as much.
import type { Finding } from '@bastion/contract';
import type { Check, Hop, RetrievedSite } from '../types.js';

/**
 * Each distinct host:port answered over TLS, the target's own first (https chain, or the legacy
 * handshake of a TLS 1.0/1.1-only server, then the http chain).
 */
export function tlsEndpoints(site: RetrievedSite): Hop[] {
  const seen = new Set<string>();
  const endpoints: Hop[] = [];
  const own = site.https.hops.length > 0 ? site.https.hops : site.legacyTls ? [site.legacyTls] : [];
  for (const hop of [...own, ...site.http.hops]) {
    if (!hop.tls) continue;
    const host = new URL(hop.url).host;
    if (seen.has(host)) continue;
    seen.add(host);
    endpoints.push(hop);
  }
  return endpoints;
}

/**
 * Runs a check written for the target's endpoint (it reads `site.https.hops[0]` and
 * `site.hostname`) once per TLS endpoint and keeps the worst finding (lowest modifier; a failure
 * over a pass; the target on a tie). With several endpoints the evidence names the host and
 * `data.endpoints` has each endpoint's result.
 */
export function everyEndpoint(check: Check): Check {
  return (site, context) => {
    const endpoints = tlsEndpoints(site);
    if (endpoints.length <= 1) return check(site, context);
    const results = endpoints.map((hop) => {
      const hostname = new URL(hop.url).hostname;
      const view: RetrievedSite = { ...site, hostname, https: { hops: [hop], error: null } };
      return { host: new URL(hop.url).host, finding: check(view, context)[0]! };
    });
    const rank = (f: Finding) => [f.scoreModifier, f.pass === false ? 0 : 1] as const;
    let worst = results[0]!;
    for (const result of results.slice(1)) {
      const [a, b] = [rank(result.finding), rank(worst.finding)];
      if (a[0] < b[0] || (a[0] === b[0] && a[1] < b[1])) worst = result;
    }
    return [
      {
        ...worst.finding,
        evidence: `${worst.host}: ${worst.finding.evidence ?? 'no details'}`,
        data: {
          ...worst.finding.data,
          endpoints: results.map(({ host, finding }) => ({
            host,
            result: finding.result,
            pass: finding.pass,
          })),
        },
      },
    ];
  };
}
