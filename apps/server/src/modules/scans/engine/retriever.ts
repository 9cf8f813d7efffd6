import { createHash, randomBytes } from 'node:crypto';
import { checkServerIdentity, type SecureVersion } from 'node:tls';
import {
  EgressError,
  egressRequest,
  egressTlsHandshake,
  bareHost,
  type EgressPolicy,
  type EgressResponse,
  type PeerTls,
  type Resolver,
  type TlsClientOptions,
} from '../../../egress/index.js';
import { chainOf } from './certificates.js';
import { metaHttpEquiv, parseHtml } from './html.js';
import type { Chain, HeaderMap, Hop, Probe, RetrievedSite, TlsInfo, TlsVersion } from './types.js';

// Turns a target URL into everything the checks look at, the way Observatory's retriever does:
// an http:// and an https:// session of the same path (redirects followed, each hop checked
// by the egress policy again), the final page and its <meta http-equiv>, cookies, a CORS
// preflight, a 404 probe and a few well-known paths; plus which TLS versions the port accepts.
// Failures are recorded (chain.error, probe.error), never thrown: a half-broken site still gets
// the findings that can be made about it.

export interface RetrieveOptions {
  policy: EgressPolicy;
  resolver?: Resolver;
  /** CAs to trust instead of Node's (tests pass their test CA); unset = system + NODE_EXTRA_CA_CERTS. */
  ca?: TlsClientOptions['ca'];
  /** Aborts the whole retrieval (e.g. the job's deadline). */
  signal?: AbortSignal;
  /** Whole retrieval at most this long; default 30 s. */
  deadlineMs?: number;
  /** Each request at most this long; default 10 s. */
  requestTimeoutMs?: number;
  /**
   * Ports of the two sessions. Default: the target's port for its own scheme, 80/443 for the
   * other (as a browser would try).
   */
  ports?: { http?: number; https?: number };
  onProgress?: (stage: string, percent: number) => void;
}

export const MAX_REDIRECTS = 10;
export const HTML_MAX_BYTES = 2 * 1024 * 1024;
export const PROBE_MAX_BYTES = 64 * 1024;
export const PROBE_PATHS = [
  '/.git/HEAD',
  '/.env',
  '/server-status',
  '/.well-known/security.txt',
  '/security.txt',
] as const;
/** Observatory sends this Origin in its CORS preflight; so do we, for the same answers. */
export const PREFLIGHT_ORIGIN = 'https://http-observatory.security.mozilla.org';

const USER_AGENT = 'Mozilla/5.0 (compatible; BastionScan/1.0; +https://github.com/bastion)';
const TLS_VERSIONS: TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

interface Context {
  options: RetrieveOptions;
  signal: AbortSignal;
}

export function headerMap(rawHeaders: string[]): HeaderMap {
  const headers: HeaderMap = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    (headers[rawHeaders[index]!.toLowerCase()] ??= []).push(rawHeaders[index + 1]!);
  }
  return headers;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function send(
  context: Context,
  url: string,
  extra: { method?: string; headers?: Record<string, string>; maxBytes?: number } = {},
): Promise<EgressResponse> {
  return egressRequest(url, {
    policy: context.options.policy,
    resolver: context.options.resolver,
    signal: context.signal,
    timeoutMs: context.options.requestTimeoutMs ?? 10_000,
    method: extra.method,
    headers: { 'user-agent': USER_AGENT, accept: '*/*', ...extra.headers },
    maxBytes: extra.maxBytes ?? PROBE_MAX_BYTES,
    oversize: 'truncate',
    // Complete the handshake whatever the certificate: judging it is the checks' job.
    tls: { ca: context.options.ca, rejectUnauthorized: false, checkHostname: false },
  });
}

function tlsInfo(peer: PeerTls | null, hostname: string): TlsInfo | null {
  if (!peer) return null;
  const chain = peer.certificate ? chainOf(peer.certificate) : [];
  const hostnameMatches = peer.certificate
    ? checkServerIdentity(hostname, peer.certificate) === undefined
    : false;
  return {
    protocol: peer.protocol,
    cipher: peer.cipher,
    authorized: peer.authorized,
    authorizationError: peer.authorizationError,
    hostnameMatches,
    chain,
  };
}

interface FollowedChain extends Chain {
  /** The last response's body (the page), kept only for the chain's last hop. */
  lastBody: EgressResponse | null;
}

async function follow(context: Context, start: string): Promise<FollowedChain> {
  const hops: Hop[] = [];
  let url = start;
  let last: EgressResponse | null = null;
  for (let redirects = 0; ; redirects++) {
    let response: EgressResponse;
    try {
      response = await send(context, url, {
        headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
        maxBytes: HTML_MAX_BYTES,
      });
    } catch (error) {
      const where = hops.length === 0 ? '' : `redirect ${hops.length} to ${url}: `;
      return { hops, error: `${where}${message(error)}`, lastBody: last };
    }
    last = response;
    const headers = headerMap(response.rawHeaders);
    hops.push({
      url,
      address: response.address,
      status: response.status,
      headers,
      tls: tlsInfo(response.tls, bareHost(new URL(url))),
      durationMs: response.durationMs,
    });
    const location = headers.location?.[0];
    if (response.status < 300 || response.status >= 400 || response.status === 304 || !location) {
      return { hops, error: null, lastBody: last };
    }
    if (redirects >= MAX_REDIRECTS) {
      return { hops, error: `more than ${MAX_REDIRECTS} redirects`, lastBody: last };
    }
    try {
      url = new URL(location, url).href;
    } catch {
      return { hops, error: `redirect to an invalid URL: ${location}`, lastBody: last };
    }
  }
}

async function probe(
  context: Context,
  url: string,
  extra: { method?: string; headers?: Record<string, string> } = {},
): Promise<Probe> {
  try {
    const response = await send(context, url, extra);
    return {
      url,
      status: response.status,
      headers: headerMap(response.rawHeaders),
      body: response.body.toString('utf8'),
      truncated: response.truncated,
      error: null,
    };
  } catch (error) {
    return { url, status: 0, headers: {}, body: '', truncated: false, error: message(error) };
  }
}

interface VersionProbe {
  /** Which versions the https port accepts; null when the port offers no TLS at all. */
  versions: Record<TlsVersion, boolean> | null;
  /** The endpoint as the newest accepted legacy version (TLS 1.0/1.1) showed it, if any. */
  legacy: Hop | null;
}

/** Which protocol versions the https port completes a handshake with, one handshake each. */
async function tlsVersions(context: Context, httpsUrl: string): Promise<VersionProbe> {
  const started = performance.now();
  const results = await Promise.all(
    TLS_VERSIONS.map(async (version) => {
      try {
        const result = await egressTlsHandshake(httpsUrl, {
          policy: context.options.policy,
          resolver: context.options.resolver,
          signal: context.signal,
          timeoutMs: context.options.requestTimeoutMs ?? 10_000,
          tls: {
            minVersion: version as SecureVersion,
            maxVersion: version as SecureVersion,
            // OpenSSL 3 refuses TLS 1.0/1.1 at its default security level.
            ciphers:
              version === 'TLSv1' || version === 'TLSv1.1' ? 'DEFAULT@SECLEVEL=0' : undefined,
            ca: context.options.ca,
          },
        });
        return { version, ok: result.protocol === version, result, error: null };
      } catch (error) {
        return { version, ok: false, result: null, error };
      }
    }),
  );
  // No version at all and the port did not even take a connection: there is no TLS to report.
  const unreachable = results.every(
    ({ ok, error }) =>
      !ok &&
      error instanceof EgressError &&
      (error.code !== 'tls' || /ECONNREFUSED|ECONNRESET/.test(error.message)),
  );
  if (unreachable) return { versions: null, legacy: null };
  const versions = Object.fromEntries(results.map(({ version, ok }) => [version, ok])) as Record<
    TlsVersion,
    boolean
  >;
  const legacy = results
    .filter(({ version, ok }) => ok && (version === 'TLSv1' || version === 'TLSv1.1'))
    .at(-1)?.result;
  return {
    versions,
    legacy: legacy
      ? {
          url: httpsUrl,
          address: legacy.address,
          status: 0,
          headers: {},
          tls: tlsInfo(legacy, bareHost(new URL(httpsUrl))),
          durationMs: Math.round(performance.now() - started),
        }
      : null,
  };
}

function sessionUrls(target: URL, ports: RetrieveOptions['ports']) {
  const path = `${target.pathname}${target.search}`;
  const host = target.hostname;
  const explicit = target.port ? Number(target.port) : null;
  const httpPort = ports?.http ?? (target.protocol === 'http:' ? explicit : null);
  const httpsPort = ports?.https ?? (target.protocol === 'https:' ? explicit : null);
  return {
    http: `http://${host}${httpPort && httpPort !== 80 ? `:${httpPort}` : ''}${path}`,
    https: `https://${host}${httpsPort && httpsPort !== 443 ? `:${httpsPort}` : ''}${path}`,
  };
}

function isHtml(headers: HeaderMap): boolean {
  const type = headers['content-type']?.[0]?.toLowerCase();
  return type === undefined || type.includes('html');
}

/** Retrieves a site for the checks; never throws for a site's faults (see Chain.error). */
export async function retrieveSite(url: string, options: RetrieveOptions): Promise<RetrievedSite> {
  const started = Date.now();
  const startedClock = performance.now();
  const target = new URL(url);
  const deadline = AbortSignal.timeout(options.deadlineMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const context: Context = { options, signal };
  const progress = options.onProgress ?? (() => {});
  const sessions = sessionUrls(target, options.ports);

  progress('connecting', 5);
  const [http, https, versionProbe] = await Promise.all([
    follow(context, sessions.http),
    follow(context, sessions.https),
    tlsVersions(context, sessions.https),
  ]);
  progress('sessions', 50);

  // Observatory's "auto" session: https when it answered with a verified certificate.
  const httpsLast = https.hops.at(-1);
  const httpsVerified =
    httpsLast !== undefined && (httpsLast.tls === null || httpsLast.tls.authorized);
  const httpLast = http.hops.at(-1);
  const chosen = httpsVerified ? https : httpLast ? http : httpsLast ? https : null;
  const final = chosen?.hops.at(-1) ?? null;

  let html: string | null = null;
  let htmlBytes = 0;
  let htmlTruncated = false;
  let htmlSha256: string | null = null;
  let httpEquiv: HeaderMap = {};
  const page = chosen?.lastBody;
  if (final && page && isHtml(final.headers)) {
    html = page.body.toString('utf8');
    htmlBytes = page.body.length;
    htmlTruncated = page.truncated;
    htmlSha256 = createHash('sha256').update(page.body).digest('hex');
    httpEquiv = metaHttpEquiv(parseHtml(html));
  }

  const cookies = (chosen?.hops ?? []).flatMap((hop) =>
    (hop.headers['set-cookie'] ?? []).map((header) => ({ url: hop.url, header })),
  );
  let corsPreflight: Probe | null = null;
  let notFound: Probe | null = null;
  const probes: Record<string, Probe> = {};
  if (final) {
    const origin = new URL(final.url).origin;
    progress('probes', 60);
    const missing = `/${randomBytes(12).toString('hex')}`;
    const [robots, preflight, fourOhFour, ...paths] = await Promise.all([
      probe(context, `${origin}/robots.txt`),
      probe(context, final.url, {
        method: 'OPTIONS',
        headers: { origin: PREFLIGHT_ORIGIN, 'access-control-request-method': 'GET' },
      }),
      probe(context, `${origin}${missing}`),
      ...PROBE_PATHS.map((path) => probe(context, `${origin}${path}`)),
    ]);
    for (const header of robots!.headers['set-cookie'] ?? []) {
      cookies.push({ url: robots!.url, header });
    }
    corsPreflight = preflight!;
    notFound = fourOhFour!;
    PROBE_PATHS.forEach((path, index) => (probes[path] = paths[index]!));
  }
  progress('done', 100);

  return {
    url: target.href,
    hostname: bareHost(target),
    http: { hops: http.hops, error: http.error },
    https: { hops: https.hops, error: https.error },
    final,
    html,
    htmlBytes,
    htmlTruncated,
    htmlSha256,
    httpEquiv,
    cookies,
    corsPreflight,
    notFound,
    probes,
    tlsVersions: versionProbe.versions,
    // Only when the page fetch (TLS 1.2+, like a browser) could not reach the https port at all.
    legacyTls: https.hops.length === 0 ? versionProbe.legacy : null,
    startedAt: new Date(started).toISOString(),
    durationMs: Math.round(performance.now() - startedClock),
  };
}
