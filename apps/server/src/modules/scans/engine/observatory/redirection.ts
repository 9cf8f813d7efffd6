// redirection: where http://host/ leads. It should go to https:// on the same host first (so
// the host can set HSTS), and end on HTTPS; hosts on the preload list never go over HTTP at all.
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finalResponse, finding, verified } from './site.js';

export const redirection: Check = (site, context) => {
  const response = finalResponse(site.http);
  const route = site.http.hops.map((hop) => new URL(hop.url));
  const data = { route: route.map((u) => u.href), status: response?.status ?? null };
  const evidence = route.length > 0 ? route.map((u) => u.href).join(' → ') : null;
  let code: ResultCode;
  if (!response) code = 'redirection-not-needed-no-http';
  else if (!verified(site.http)) code = 'redirection-invalid-cert';
  else if (route.every((u) => context.isPreloaded(u.hostname)))
    code = 'redirection-all-redirects-preloaded';
  else if (route.length === 1) code = 'redirection-missing';
  else if (route.at(-1)!.protocol !== 'https:') code = 'redirection-not-to-https';
  else if (route[1]!.protocol === 'http:') code = 'redirection-not-to-https-on-initial-redirection';
  else if (route[0]!.protocol === 'http:' && route[1]!.hostname !== route[0]!.hostname)
    code = 'redirection-off-host-from-http';
  else code = 'redirection-to-https';
  return [finding(code, evidence, data)];
};
