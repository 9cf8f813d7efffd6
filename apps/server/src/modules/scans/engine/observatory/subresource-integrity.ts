// subresource-integrity: scripts from other sites (another registrable domain, or any
// protocol-relative `//host/…` URL) must load over HTTPS with an integrity hash; scripts from
// the page's own site need neither, though integrity there still earns the bonus.
import { parse as parseDomain } from 'tldts';
import type { Check } from '../types.js';
import type { ResultCode } from './results.js';
import { autoProtocol, finding, isHtml, mediaType, pageTags } from './site.js';

const ORDER: ResultCode[] = [
  'sri-implemented-and-all-scripts-loaded-securely',
  'sri-implemented-and-external-scripts-loaded-securely',
  'sri-implemented-but-external-scripts-not-loaded-securely',
  'sri-not-implemented-but-external-scripts-loaded-securely',
  'sri-not-implemented-and-external-scripts-not-loaded-securely',
  'sri-not-implemented-response-not-html',
];

export const subresourceIntegrity: Check = (site) => {
  if (!site.final) return [finding('sri-not-implemented-but-no-scripts-loaded', null)];
  if (mediaType(site) && !isHtml(site)) {
    return [finding('sri-not-implemented-response-not-html', mediaType(site))];
  }
  const { scripts } = pageTags(site);
  let result: ResultCode | null = null;
  const worse = (code: ResultCode) => {
    if (result === null || ORDER.indexOf(code) > ORDER.indexOf(result)) result = code;
  };
  const ownDomain = parseDomain(site.hostname).domain;
  const pageIsHttps = autoProtocol(site) === 'https:';
  let foreign = false;
  const external: Record<string, { integrity: string | null; crossorigin: string | null }> = {};

  for (const script of scripts) {
    const src = script.src;
    if (!src) continue;
    const integrity = script.integrity || null;
    const crossorigin = script.crossorigin || null;
    const protocolRelative = /^\/\/[^/]/.test(src);
    const absolute = /^https?:\/\//.test(src);
    const relative = !protocolRelative && !absolute;
    // A protocol-relative URL is treated as foreign whatever its host: on an http:// page it
    // loads over HTTP.
    const sameSite = absolute ? parseDomain(src).domain === ownDomain : true;
    const sameOrigin = relative || (sameSite && !protocolRelative);
    let scheme: string | null = null;
    if (absolute) {
      try {
        scheme = new URL(src).protocol;
      } catch {
        scheme = null;
      }
    }
    const secure = scheme === 'https:' || (relative && pageIsHttps);
    if (!sameOrigin) {
      foreign = true;
      external[src] = { integrity, crossorigin };
      if (integrity && !secure) worse('sri-implemented-but-external-scripts-not-loaded-securely');
      else if (!integrity && secure)
        worse('sri-not-implemented-but-external-scripts-loaded-securely');
      else if (!integrity && !secure)
        worse('sri-not-implemented-and-external-scripts-not-loaded-securely');
    } else if (integrity && secure && result === null) {
      result = 'sri-implemented-and-all-scripts-loaded-securely';
    }
  }
  let code: ResultCode;
  if (scripts.length === 0) code = 'sri-not-implemented-but-no-scripts-loaded';
  else
    code =
      result ??
      (foreign
        ? 'sri-implemented-and-external-scripts-loaded-securely'
        : 'sri-not-implemented-but-all-scripts-loaded-from-secure-origin');
  const srcs = Object.keys(external);
  return [finding(code, srcs.length > 0 ? srcs.join('\n') : null, { scripts: external })];
};
