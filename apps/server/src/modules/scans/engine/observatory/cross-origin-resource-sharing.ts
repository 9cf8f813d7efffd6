// cross-origin-resource-sharing: the answer to a CORS preflight of the final URL. Reflecting
// the requesting origin together with Access-Control-Allow-Credentials: true lets any site read
// the user's data; `*` or a fixed list of origins is fine.
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { finding, header } from './site.js';

/** The Origin the preflight sends when the probe does not record its own (Observatory's). */
export const CORS_PROBE_ORIGIN = 'https://http-observatory.security.mozilla.org';

export const crossOriginResourceSharing: Check = (site) => {
  const probe = site.corsPreflight;
  const acao = probe && !probe.error ? header(probe, 'access-control-allow-origin') : null;
  if (!probe || !acao) return [finding('cross-origin-resource-sharing-not-implemented', null)];
  const origin = probe.requestHeaders?.origin?.[0] ?? CORS_PROBE_ORIGIN;
  const credentials = header(probe, 'access-control-allow-credentials');
  const value = acao.slice(0, 256).trim().toLowerCase();
  let code: ResultCode;
  if (value === '*') code = 'cross-origin-resource-sharing-implemented-with-public-access';
  else if (acao === origin && credentials?.trim().toLowerCase() === 'true')
    code = 'cross-origin-resource-sharing-implemented-with-universal-access';
  else code = 'cross-origin-resource-sharing-implemented-with-restricted-access';
  const evidence = `Access-Control-Allow-Origin: ${acao}${credentials ? `\nAccess-Control-Allow-Credentials: ${credentials}` : ''}`;
  return [finding(code, evidence, { origin, allowOrigin: value })];
};
