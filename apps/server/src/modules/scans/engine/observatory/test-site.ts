// Hand-made RetrievedSites for the Observatory tests: a `SiteSpec` says what the server sends,
// `makeSite` turns it into what the retriever would have produced. The same specs drive the
// cross-check (crosscheck.ts), which serves them for real to MDN's own scanner.
import type { Chain, HeaderMap, Hop, RetrievedSite, TlsInfo } from '../types.js';
import { preloadLookup } from './hsts-preload.js';
import type { Check, CheckContext } from '../types.js';

export interface SiteSpec {
  /** Host name of the target (default `site.obs.test`). */
  host?: string;
  /** Headers of the final response (content-type aside). */
  headers?: Record<string, string | string[]>;
  /** Default `text/html; charset=utf-8`; null sends none. */
  contentType?: string | null;
  /** Body of the final response. */
  html?: string;
  /**
   * What http://host/ does: `redirect` (default) → 301 to https://host/; `stay` → answers
   * itself with the final response; `none` → nothing listens; or the full list of URLs it
   * passes through (each but the last redirects to the next).
   */
  http?: 'redirect' | 'stay' | 'none' | string[];
  /** https://host/: `ok` (default), `bad-cert` (answers, certificate does not verify) or `none`. */
  https?: 'ok' | 'bad-cert' | 'none';
  /** Set-Cookie headers of the final response. */
  cookies?: string[];
  /** Extra headers of the answer to the CORS preflight; `reflect` echoes the Origin. */
  cors?: Record<string, string>;
}

export const TEST_ORIGIN = 'https://http-observatory.security.mozilla.org';

function headerMap(spec: SiteSpec, extra: Record<string, string | string[]> = {}): HeaderMap {
  const map: HeaderMap = {};
  const add = (name: string, value: string | string[]) => {
    map[name.toLowerCase()] = [...(map[name.toLowerCase()] ?? []), ...[value].flat()];
  };
  const contentType =
    spec.contentType === undefined ? 'text/html; charset=utf-8' : spec.contentType;
  if (contentType !== null) add('content-type', contentType);
  for (const [name, value] of Object.entries({ ...(spec.headers ?? {}), ...extra }))
    add(name, value);
  if (spec.cookies?.length) add('set-cookie', spec.cookies);
  return map;
}

const tls = (authorized: boolean): TlsInfo => ({
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  authorized,
  authorizationError: authorized ? null : 'DEPTH_ZERO_SELF_SIGNED_CERT',
  hostnameMatches: true,
  chain: [],
});

function hop(url: string, status: number, headers: HeaderMap, authorized: boolean): Hop {
  return {
    url,
    address: '127.0.0.1',
    status,
    headers,
    tls: url.startsWith('https:') ? tls(authorized) : null,
    durationMs: 1,
  };
}

/** The http:// route of a spec, as URLs. */
export function httpRoute(spec: SiteSpec): string[] {
  const host = spec.host ?? 'site.obs.test';
  const mode = spec.http ?? 'redirect';
  if (mode === 'none') return [];
  if (mode === 'stay') return [`http://${host}/`];
  if (mode === 'redirect') return [`http://${host}/`, `https://${host}/`];
  return mode;
}

export function makeSite(spec: SiteSpec = {}): RetrievedSite {
  const host = spec.host ?? 'site.obs.test';
  const httpsMode = spec.https ?? 'ok';
  const html =
    spec.html ?? '<!doctype html><html><head><title>Fixture</title></head><body></body></html>';
  const finalHeaders = () => headerMap(spec);

  const route = httpRoute(spec);
  const badCert = httpsMode === 'bad-cert';
  const http: Chain =
    route.length === 0
      ? { hops: [], error: 'connect ECONNREFUSED' }
      : {
          hops: route.map((url, i) =>
            i < route.length - 1
              ? hop(url, 301, { location: [route[i + 1]!] }, !badCert)
              : hop(url, 200, finalHeaders(), !badCert),
          ),
          error: null,
        };
  const https: Chain =
    httpsMode === 'none'
      ? { hops: [], error: 'connect ECONNREFUSED' }
      : { hops: [hop(`https://${host}/`, 200, finalHeaders(), !badCert)], error: null };
  const final =
    httpsMode === 'ok' ? https.hops.at(-1)! : (http.hops.at(-1) ?? https.hops.at(-1) ?? null);
  const cookieUrl = final?.url ?? `https://${host}/`;
  const corsHeaders: HeaderMap = {};
  for (const [name, value] of Object.entries(spec.cors ?? {})) {
    corsHeaders[name.toLowerCase()] = [value === 'reflect' ? TEST_ORIGIN : value];
  }
  return {
    url: `https://${host}/`,
    hostname: host,
    http,
    https,
    final,
    html: final ? html : null,
    htmlBytes: Buffer.byteLength(html),
    htmlTruncated: false,
    htmlSha256: null,
    httpEquiv: {},
    cookies: (spec.cookies ?? []).map((header) => ({ url: cookieUrl, header })),
    corsPreflight: final
      ? {
          url: final.url,
          status: 200,
          headers: corsHeaders,
          body: '',
          truncated: false,
          error: null,
          requestHeaders: { origin: [TEST_ORIGIN] },
        }
      : null,
    notFound: null,
    probes: {},
    tlsVersions: null,
    legacyTls: null,
    startedAt: new Date(0).toISOString(),
    durationMs: 1,
  };
}

/** Hosts on the fixture preload list (the real snapshot is never used in tests). */
export const PRELOADED = {
  'preloaded.obs.test': { includeSubDomains: true },
  'exact.obs.test': { includeSubDomains: false },
};

export const context: CheckContext = {
  now: new Date('2026-12-01T00:00:00Z'),
  isPreloaded: preloadLookup(PRELOADED),
};

/** The single finding a check gives for a spec. */
export function resultOf(check: Check, spec: SiteSpec | RetrievedSite = {}) {
  const site = 'hostname' in spec ? spec : makeSite(spec);
  const findings = check(site, context);
  if (findings.length !== 1) throw new Error(`expected one finding, got ${findings.length}`);
  return findings[0]!;
}
