import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { parseCidrs, type EgressPolicy, type Resolver } from '../../../egress/index.js';

// Local HTTP and HTTPS servers for the scan engine's tests, and certificates made with openssl
// at test time: a test CA with a leaf for a host name, an expired leaf, a wrong-host leaf and a
// self-signed one. Host names resolve through an injected resolver (no /etc/hosts edits).

export interface KeyPair {
  key: string;
  cert: string;
}

export interface TestPki {
  /** PEM of the test CA: pass it as the scanner's `ca` to trust the leaves it signed. */
  ca: string;
  /** Signed by the CA, for the host name (and 127.0.0.1). */
  leaf: KeyPair;
  /** Signed by the CA, for the host name, no longer valid. */
  expired: KeyPair;
  /** Signed by the CA for another name. */
  wrongHost: KeyPair;
  /** Not signed by any CA. */
  selfSigned: KeyPair;
}

function openssl(dir: string, args: string[]) {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function signedLeaf(dir: string, name: string, host: string, days: number): KeyPair {
  writeFileSync(join(dir, `${name}.ext`), `subjectAltName=DNS:${host},IP:127.0.0.1\n`);
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    `/CN=${host}`,
  ]);
  // A negative -days makes notAfter precede now: an expired certificate without waiting.
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    String(days),
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  ]);
  return {
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
  };
}

const cache = new Map<string, TestPki>();

/** Certificates for `host`, made once per test process. */
export function makeTestPki(host = 'site.test'): TestPki {
  const cached = cache.get(host);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'bastion-pki-'));
  try {
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=Bastion Test CA',
      '-days',
      '30',
    ]);
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'self.key',
      '-out',
      'self.pem',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-days',
      '30',
    ]);
    const pki: TestPki = {
      ca: readFileSync(join(dir, 'ca.pem'), 'utf8'),
      leaf: signedLeaf(dir, 'leaf', host, 90),
      expired: signedLeaf(dir, 'expired', host, -1),
      wrongHost: signedLeaf(dir, 'wrong', `other-${host}`, 90),
      selfSigned: {
        key: readFileSync(join(dir, 'self.key'), 'utf8'),
        cert: readFileSync(join(dir, 'self.pem'), 'utf8'),
      },
    };
    cache.set(host, pki);
    return pki;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A canned answer, or a handler for anything the canned form cannot say. */
export type Route =
  | { status?: number; headers?: Record<string, string | string[]>; body?: string }
  | http.RequestListener;

export interface TestServerOptions {
  /** A loopback address, 127.0.0.1 by default; give each server its own to tell them apart. */
  host?: string;
  /** Serve TLS with this key pair (and protocol limits). */
  tls?: KeyPair & Pick<tls.TlsOptions, 'minVersion' | 'maxVersion' | 'ciphers'>;
  /** By path (without query); `*` answers every other path (default: 404). */
  routes?: Record<string, Route>;
  /** Listen on this port (default: any free one). */
  port?: number;
}

export interface TestServer {
  host: string;
  port: number;
  /** `http(s)://host:port` */
  origin: string;
  /** `METHOD path` of every request, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const host = options.host ?? '127.0.0.1';
  const requests: string[] = [];
  const routes = options.routes ?? {};
  const handler: http.RequestListener = (request, response) => {
    const path = (request.url ?? '/').split('?')[0]!;
    requests.push(`${request.method} ${request.url}`);
    const route = routes[path] ?? routes['*'] ?? { status: 404, body: 'not found' };
    if (typeof route === 'function') return void route(request, response);
    response.writeHead(route.status ?? 200, route.headers ?? { 'content-type': 'text/html' });
    response.end(route.body ?? '');
  };
  const server = options.tls
    ? https.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          minVersion: options.tls.minVersion,
          maxVersion: options.tls.maxVersion,
          ciphers: options.tls.ciphers,
        },
        handler,
      )
    : http.createServer(handler);
  // Failed handshakes (the TLS probe offers versions the server refuses) are expected noise.
  server.on('tlsClientError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    origin: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Options for a server that speaks only TLS 1.0 (Node's OpenSSL needs SECLEVEL=0 for it). */
export const TLS_1_0_ONLY = {
  minVersion: 'TLSv1',
  maxVersion: 'TLSv1',
  ciphers: 'DEFAULT@SECLEVEL=0',
} as const;

/** A resolver answering from a fixed table (name → address), failing for other names. */
export function resolverFor(table: Record<string, string>): Resolver {
  return async (hostname) => {
    const address = table[hostname];
    if (!address)
      throw Object.assign(new Error(`unknown test host ${hostname}`), { code: 'ENOTFOUND' });
    return [{ address, family: address.includes(':') ? 6 : 4 }];
  };
}

/** Loopback allowed, any port: what the engine's tests scan with. */
export function loopbackPolicy(): EgressPolicy {
  return { allowCidrs: parseCidrs(['127.0.0.0/8']), allowedPorts: 'any' };
}
