import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import tls from 'node:tls';
import { addressRefusal, portAllowed, type EgressPolicy } from './policy.js';

// The one way Bastion makes a request to a URL a user gave it. Each request:
//  1. accepts only http: and https: and a port of the policy;
//  2. resolves the host once, as the OS does (dns.lookup, so /etc/hosts counts), and refuses it
//     when any answer is not allowed by the policy;
//  3. connects to that checked address itself (a `lookup` that answers only it), so a DNS
//     answer that changes between the check and the connect (rebinding) cannot redirect it;
//     the Host header and TLS SNI keep the name;
//  4. stops at a size cap, a per-request timeout and the caller's overall AbortSignal.
// Redirects are not followed here: a caller that follows them sends each hop through again,
// which checks it again.

export type EgressErrorCode =
  | 'refused-scheme'
  | 'refused-port'
  | 'refused-address'
  | 'dns'
  | 'timeout'
  | 'aborted'
  | 'too-large'
  | 'tls'
  | 'network';

export class EgressError extends Error {
  constructor(
    public readonly code: EgressErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EgressError';
  }
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address, in the order the OS gives them. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true, order: 'verbatim' });
  return answers.map(({ address, family }) => ({ address, family: family === 6 ? 6 : 4 }));
};

export interface TlsClientOptions {
  /** Trusted CAs in addition to… nothing: when set, only these (Node's `ca` semantics). */
  ca?: string | Buffer | (string | Buffer)[];
  /** false = complete the handshake whatever the certificate, and report `authorized`. */
  rejectUnauthorized?: boolean;
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  ciphers?: string;
  /**
   * false = `authorized` says only whether the chain verifies; the caller compares the name
   * itself (the scanner reports the two separately). Default true.
   */
  checkHostname?: boolean;
}

export interface EgressRequestOptions {
  policy: EgressPolicy;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  resolver?: Resolver;
  /** Whole request (connect, headers, body) must finish within this; default 10 s. */
  timeoutMs?: number;
  /** The caller's overall deadline (e.g. a whole scan). */
  signal?: AbortSignal;
  /** Body bytes kept; default 1 MiB. */
  maxBytes?: number;
  /** Past maxBytes: `truncate` keeps the first maxBytes and closes; `error` fails (default). */
  oversize?: 'truncate' | 'error';
  tls?: TlsClientOptions;
}

export interface PeerTls {
  protocol: string;
  cipher: string;
  authorized: boolean;
  authorizationError: string | null;
  /** The peer's chain (issuerCertificate links), read while the socket was open. */
  certificate: tls.DetailedPeerCertificate | null;
}

export interface EgressResponse {
  url: string;
  address: string;
  port: number;
  status: number;
  /** Alternating names and values, as received (repeated headers kept). */
  rawHeaders: string[];
  body: Buffer;
  /** Body bytes received (up to the point reading stopped). */
  bytes: number;
  truncated: boolean;
  tls: PeerTls | null;
  durationMs: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;

function defaultPort(protocol: string): number {
  return protocol === 'https:' ? 443 : 80;
}

/** Host name without IPv6 brackets (`URL.hostname` keeps them). */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}

export interface Destination {
  url: URL;
  host: string;
  port: number;
  address: ResolvedAddress;
}

/**
 * Checks scheme and port, resolves the host and checks every answer; the destination to connect
 * to (the first answer) or an EgressError. Shared by HTTP requests and bare TLS handshakes.
 */
export async function resolveDestination(
  target: string | URL,
  policy: EgressPolicy,
  resolver: Resolver = systemResolver,
  schemes: string[] = ['http:', 'https:'],
): Promise<Destination> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new EgressError('refused-scheme', `"${String(target)}" is not a URL`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new EgressError('refused-scheme', `${url.protocol} URLs are not fetched`);
  }
  const port = url.port ? Number(url.port) : defaultPort(url.protocol);
  if (!portAllowed(port, policy)) {
    throw new EgressError('refused-port', `port ${port} is not in the allowed ports`);
  }
  const host = bareHost(url);
  let answers: ResolvedAddress[];
  if (isIP(host)) {
    answers = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }];
  } else {
    try {
      answers = await resolver(host);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'failed';
      throw new EgressError('dns', `${host} could not be resolved (${code})`);
    }
    if (answers.length === 0) throw new EgressError('dns', `${host} has no address`);
  }
  for (const answer of answers) {
    const refusal = addressRefusal(answer.address, policy);
    if (refusal) {
      throw new EgressError(
        'refused-address',
        host === answer.address ? refusal : `${host} resolves to ${refusal}`,
      );
    }
  }
  return { url, host, port, address: answers[0]! };
}

/** A `lookup` for net/tls that only ever answers the checked address: no second DNS query. */
export function pinnedLookup(address: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: address.address, family: address.family }]);
    else callback(null, address.address, address.family);
  };
}

/** Combines the caller's signal with a per-request timeout; says which one fired. */
function deadline(timeoutMs: number, outer: AbortSignal | undefined) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
  const reason = () =>
    outer?.aborted
      ? new EgressError('aborted', 'the overall deadline passed')
      : new EgressError('timeout', `no complete response within ${timeoutMs} ms`);
  return { signal, reason };
}

function networkError(error: unknown): EgressError {
  if (error instanceof EgressError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const message = (error as Error).message ?? String(error);
  const isTls = /SSL|TLS|CERT|ERR_SSL/i.test(code) || /SSL|TLS|handshake/i.test(message);
  return new EgressError(isTls ? 'tls' : 'network', code ? `${code}: ${message}` : message);
}

function peerTls(socket: tls.TLSSocket): PeerTls {
  const cipher = socket.getCipher();
  const certificate = socket.getPeerCertificate(true);
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: cipher?.name ?? 'unknown',
    authorized: socket.authorized,
    authorizationError: socket.authorizationError ? String(socket.authorizationError) : null,
    certificate: certificate && Object.keys(certificate).length > 0 ? certificate : null,
  };
}

/** One request, policy-checked, pinned to the checked address; redirects are returned, not followed. */
export async function egressRequest(
  target: string | URL,
  options: EgressRequestOptions,
): Promise<EgressResponse> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const { signal, reason } = deadline(timeoutMs, options.signal);
  if (signal.aborted) throw reason();
  const destination = await resolveDestination(target, options.policy, options.resolver);
  if (signal.aborted) throw reason();
  const { url, host, port, address } = destination;
  const secure = url.protocol === 'https:';
  const tlsOptions = options.tls ?? {};

  return new Promise<EgressResponse>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      request.destroy();
      reject(signal.aborted ? reason() : networkError(error));
    };
    const requestOptions: https.RequestOptions = {
      method: options.method ?? 'GET',
      host,
      port,
      path: `${url.pathname}${url.search}`,
      headers: { host: url.host, ...options.headers },
      lookup: pinnedLookup(address),
      // A fresh connection per request: a pooled socket could belong to another address.
      agent: false,
      signal,
    };
    if (secure) {
      // SNI must be a name, never an IP literal (RFC 6066).
      if (!isIP(host)) requestOptions.servername = host;
      requestOptions.rejectUnauthorized = tlsOptions.rejectUnauthorized ?? true;
      if (tlsOptions.ca) requestOptions.ca = tlsOptions.ca;
      if (tlsOptions.minVersion) requestOptions.minVersion = tlsOptions.minVersion;
      if (tlsOptions.maxVersion) requestOptions.maxVersion = tlsOptions.maxVersion;
      if (tlsOptions.ciphers) requestOptions.ciphers = tlsOptions.ciphers;
      if (tlsOptions.checkHostname === false) requestOptions.checkServerIdentity = () => undefined;
    }
    const request = (secure ? https : http).request(requestOptions, (response) => {
      const peer = secure ? peerTls(response.socket as tls.TLSSocket) : null;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const finish = (truncated: boolean) => {
        if (settled) return;
        settled = true;
        const body = Buffer.concat(chunks);
        resolve({
          url: url.href,
          address: address.address,
          port,
          status: response.statusCode ?? 0,
          rawHeaders: response.rawHeaders,
          body: truncated ? body.subarray(0, maxBytes) : body,
          bytes,
          truncated,
          tls: peer,
          durationMs: Math.round(performance.now() - started),
        });
        if (truncated) request.destroy();
      };
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        bytes += chunk.length;
        chunks.push(chunk);
        if (bytes > maxBytes) {
          if ((options.oversize ?? 'error') === 'truncate') finish(true);
          else fail(new EgressError('too-large', `the response exceeds ${maxBytes} bytes`));
        }
      });
      response.on('end', () => finish(false));
      response.on('error', fail);
      response.on('aborted', () => fail(new Error('the response was cut off')));
    });
    request.on('error', fail);
    request.end(options.body);
  });
}

/** The handshake's outcome: the negotiated protocol and cipher, and the peer's certificate. */
export interface HandshakeResult extends PeerTls {
  address: string;
}

/**
 * A bare TLS handshake to an https URL's host and port, policy-checked and pinned like a request
 * (the TLS-version probe offers one version per handshake). Never refuses a certificate: it
 * reports whether the chain verified (against `tls.ca` and the system's CAs) and hands it over.
 */
export async function egressTlsHandshake(
  target: string | URL,
  options: {
    policy: EgressPolicy;
    resolver?: Resolver;
    timeoutMs?: number;
    signal?: AbortSignal;
    tls: TlsClientOptions;
  },
): Promise<HandshakeResult> {
  const { signal, reason } = deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal);
  const { host, port, address } = await resolveDestination(
    target,
    options.policy,
    options.resolver,
    ['https:'],
  );
  if (signal.aborted) throw reason();
  return new Promise<HandshakeResult>((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      lookup: pinnedLookup(address),
      servername: isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      minVersion: options.tls.minVersion,
      maxVersion: options.tls.maxVersion,
      ciphers: options.tls.ciphers,
      ca: options.tls.ca,
    });
    const onAbort = () => {
      socket.destroy();
      reject(reason());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve({ address: address.address, ...peerTls(socket) });
      socket.end();
    });
    socket.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      reject(networkError(error));
    });
  });
}
