// Real certificates for the TLS checks' tests: made with openssl, served by a local TLS server and
// read back from the handshake and parsed by the retriever's own code (certificates.ts), so a test of key size or signature
// algorithm looks at what a client really receives rather than at hand-typed fields.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer } from 'node:tls';
import { chainOf } from '../certificates.js';
import type { CertificateInfo } from '../types.js';

export interface CertificateOptions {
  /** openssl -newkey argument: `rsa:2048`, `ec`, `ed25519`, … */
  key: string;
  /** For `ec`: the curve (prime256v1, secp384r1, secp224r1, …). */
  curve?: string;
  /** Digest: sha256, sha1, md5 (ignored for ed25519). */
  digest?: string;
  days?: number;
  host?: string;
}

export function makeCertificate(options: CertificateOptions): { cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bastion-cert-'));
  try {
    const host = options.host ?? 'example.test';
    const args = ['req', '-x509', '-newkey', options.key, '-nodes'];
    if (options.curve) args.push('-pkeyopt', `ec_paramgen_curve:${options.curve}`);
    if (options.digest) args.push(`-${options.digest}`);
    args.push(
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
      '-days',
      String(options.days ?? 90),
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
    );
    execFileSync('openssl', args, { stdio: 'pipe' });
    return {
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Serve the certificate on a loopback TLS server and read it back from a handshake. SECLEVEL=0 on
 * both ends: OpenSSL would otherwise refuse to use the weak keys and digests these tests are about.
 */
export async function servedCertificate(options: CertificateOptions): Promise<CertificateInfo> {
  const { cert, key } = makeCertificate(options);
  const server = createServer(
    { cert, key, ciphers: 'DEFAULT@SECLEVEL=0', ecdhCurve: 'auto' },
    (socket) => socket.end(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    return await new Promise<CertificateInfo>((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port,
        servername: options.host ?? 'example.test',
        rejectUnauthorized: false,
        ciphers: 'DEFAULT@SECLEVEL=0',
        // TLS 1.3 only signs with P-256/384/521 and clients do not offer smaller groups by
        // default: a certificate on a weaker curve is only seen over TLS 1.2 with that group.
        ...(options.curve
          ? {
              maxVersion: 'TLSv1.2' as const,
              ecdhCurve: [...new Set([options.curve, 'prime256v1'])].join(':'),
            }
          : {}),
      });
      socket.once('secureConnect', () => {
        resolve(chainOf(socket.getPeerCertificate(true))[0]!);
        socket.destroy();
      });
      socket.once('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
