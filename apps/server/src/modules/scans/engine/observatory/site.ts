// How Observatory reads a retrieved site: which response each test looks at, how repeated
// headers combine, and what the page's meta tags say. Kept in one place so the twelve tests agree.
import type { Finding } from '@bastion/contract';
import { Parser } from 'htmlparser2';
import type { Chain, HeaderMap, Hop, RetrievedSite } from '../types.js';
import { DOCS, RESULTS, severityFor, type ResultCode } from './results.js';

/**
 * A header as Observatory's HTTP client sees it: Node joins the values of a repeated header with
 * ", " (Set-Cookie aside), so "the first header" of a repeated one is all its values joined.
 * null when absent.
 */
export function header(hop: { headers: HeaderMap } | null, name: string): string | null {
  const values = hop?.headers[name.toLowerCase()];
  if (!values || values.length === 0) return null;
  return values.join(', ');
}

/** A chain's certificates all verified (chain to a trusted CA and host name). */
export function verified(chain: Chain): boolean {
  return chain.hops.every((hop) => !hop.tls || (hop.tls.authorized && hop.tls.hostnameMatches));
}

/**
 * The final response of a chain, or null when the chain produced none. A chain that stopped on a
 * certificate error still has a response: Observatory retries without verification and marks the
 * response unverified, so such a chain counts as answered (and `verified` says false).
 */
export function finalResponse(chain: Chain): Hop | null {
  const last = chain.hops.at(-1) ?? null;
  if (!last) return null;
  if (chain.error && verified(chain)) return null;
  return last;
}

/**
 * The scheme of the session Observatory calls "auto": https whenever the https:// chain answered
 * (even with a certificate that does not verify), else http. CSP and SRI judge schemes by it.
 */
export function autoProtocol(site: RetrievedSite): 'https:' | 'http:' | null {
  if (!site.final) return null;
  return finalResponse(site.https) ? 'https:' : 'http:';
}

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/** The media type of the final response, lower-case, without parameters ('' when absent). */
export function mediaType(site: RetrievedSite): string {
  // Node keeps only the first of repeated Content-Type headers, so Observatory does too.
  const first = site.final?.headers['content-type']?.[0] ?? '';
  return first.split(';', 1)[0]!.trim().toLowerCase();
}

export function isHtml(site: RetrievedSite): boolean {
  return HTML_TYPES.has(mediaType(site));
}

export interface PageTags {
  /** `content` of each `<meta http-equiv="content-security-policy">`, in order. */
  cspMeta: string[];
  /** `content` of the last `<meta name="referrer">`, if any. */
  referrerMeta: string | null;
  scripts: Record<string, string>[];
}

const pageCache = new WeakMap<RetrievedSite, PageTags>();

/**
 * The tags Observatory reads from the final page. Meta tags only count when the response is
 * HTML; scripts are read whenever the page text exists (the SRI test decides about the type).
 * Parsed once per site: the CSP, referrer, X-Frame-Options and SRI tests all ask.
 */
export function pageTags(site: RetrievedSite): PageTags {
  const cached = pageCache.get(site);
  if (cached) return cached;
  const tags: PageTags = { cspMeta: [], referrerMeta: null, scripts: [] };
  const html = site.html ?? '';
  const readMeta = isHtml(site) && html.length > 0;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'script') tags.scripts.push(attributes);
        if (name !== 'meta' || !readMeta) return;
        if ('http-equiv' in attributes && 'content' in attributes) {
          const equiv = attributes['http-equiv']!.trim().toLowerCase();
          if (equiv === 'content-security-policy' && attributes.content)
            tags.cspMeta.push(attributes.content);
        } else if (attributes.name?.trim().toLowerCase() === 'referrer' && attributes.content) {
          tags.referrerMeta = attributes.content;
        }
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  pageCache.set(site, tags);
  return tags;
}

/** A finding for one of Observatory's result codes. */
export function finding(
  code: ResultCode,
  evidence: string | null,
  data: Record<string, unknown> | null = null,
  pass?: boolean,
): Finding {
  const info = RESULTS[code];
  return {
    test: info.test,
    source: 'observatory',
    pass: pass ?? info.pass,
    result: code,
    severity: severityFor(info.modifier),
    scoreModifier: info.modifier,
    description: info.description,
    evidence,
    recommendation: info.recommendation,
    docs: DOCS[info.test],
    data,
  };
}
