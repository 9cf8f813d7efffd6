// What the scan engine passes between its parts. The retriever (retriever.ts) turns a target URL
// into a `RetrievedSite`; every check is a pure function from that to findings, so a check is
// tested with a hand-made site and the retriever with real local servers.
import type { Finding } from '@bastion/contract';

/** Response headers with lower-case names; every value of a repeated header is kept, in order. */
export type HeaderMap = Record<string, string[]>;

/** One certificate of a chain, leaf first. */
export interface CertificateInfo {
  subject: string;
  issuer: string;
  subjectAltNames: string[];
  validFrom: string; // ISO 8601
  validTo: string; // ISO 8601
  serialNumber: string;
  fingerprint256: string;
  /** `rsa`, `ec`, `ed25519`, … */
  keyType: string;
  keyBits: number | null;
  /** For EC keys, e.g. `prime256v1`. */
  curve: string | null;
  /** e.g. `sha256WithRSAEncryption`, `ecdsa-with-SHA256`. */
  signatureAlgorithm: string;
  selfIssued: boolean;
  pem: string;
}

export interface TlsInfo {
  /** Negotiated protocol, e.g. `TLSv1.3`. */
  protocol: string;
  cipher: string;
  /** Chain valid against the trusted CAs (system + NODE_EXTRA_CA_CERTS). */
  authorized: boolean;
  authorizationError: string | null;
  /** The leaf certificate names the host (checked separately from `authorized`). */
  hostnameMatches: boolean;
  chain: CertificateInfo[];
}

/** One request/response of a redirect chain. */
export interface Hop {
  url: string;
  /** The address actually connected to (after the SSRF check). */
  address: string;
  status: number;
  headers: HeaderMap;
  tls: TlsInfo | null;
  durationMs: number;
}

/** A followed chain from the first request to the final response (at most 10 redirects). */
export interface Chain {
  hops: Hop[];
  /** Why the chain stopped early (connection refused, TLS failure, too many redirects, refused address …). */
  error: string | null;
}

/** A single extra request (404 probe, /.git/HEAD, security.txt, …). Body capped. */
export interface Probe {
  url: string;
  /** Request headers sent that matter to a check (the CORS preflight's `origin`), lower-case names. */
  requestHeaders?: HeaderMap;
  status: number;
  headers: HeaderMap;
  body: string;
  truncated: boolean;
  error: string | null;
}

export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface RetrievedSite {
  /** The target as given, normalised (scheme, host, port, path). */
  url: string;
  hostname: string;
  /** Chain starting at http://host[:port]/path (Observatory's "http" session). */
  http: Chain;
  /** Chain starting at https://host[:port]/path (Observatory's "https" session). */
  https: Chain;
  /**
   * Observatory's "auto" response: the final hop of the https chain when it worked (and its
   * certificate verified), else of the http chain. null when neither produced a response.
   */
  final: Hop | null;
  /** Body of the final response, as text, capped; null when not HTML/absent. */
  html: string | null;
  htmlBytes: number;
  htmlTruncated: boolean;
  htmlSha256: string | null;
  /** `<meta http-equiv>` headers of the final page, lower-case names. */
  httpEquiv: HeaderMap;
  /** Every Set-Cookie seen in the final session (final chain + robots.txt), with the URL it came from. */
  cookies: { url: string; header: string }[];
  /** CORS preflight (OPTIONS with Origin + Access-Control-Request-Method) of the final URL. */
  corsPreflight: Probe | null;
  /** GET of a path that does not exist on the final origin. */
  notFound: Probe | null;
  /** Other paths fetched on the final origin, by path (`/.git/HEAD`, `/.env`, `/server-status`, `/.well-known/security.txt`, …). */
  probes: Record<string, Probe>;
  /** Which TLS versions the https port accepts; null when the port offers no TLS at all. */
  tlsVersions: Record<TlsVersion, boolean> | null;
  /**
   * A server that speaks only TLS 1.0/1.1 never answers the https session (it negotiates TLS 1.2+
   * like a browser), so its certificate comes from the version probe's handshake: this "hop" has
   * status 0 and no headers, only `tls`. null otherwise.
   */
  legacyTls: Hop | null;
  startedAt: string;
  durationMs: number;
}

/** A check: pure, from what was retrieved to its findings. */
export type Check = (site: RetrievedSite, context: CheckContext) => Finding[];

export interface CheckContext {
  /** "Now", for expiry checks (tests fix it). */
  now: Date;
  /** Host names on the HSTS preload list (the local snapshot). */
  isPreloaded(hostname: string): boolean;
}
