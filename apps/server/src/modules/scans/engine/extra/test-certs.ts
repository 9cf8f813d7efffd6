// Real certificates for the TLS checks' tests: made with openssl, served by a local TLS server and
// read back from the handshake (getPeerCertificate), so a test of key size or signature
// algorithm looks at what a client really receives rather than at hand-typed fields.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type PeerCertificate } from 'node:tls';
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

/** The signature algorithm as openssl names it (Node 20's X509Certificate does not expose it). */
function signatureAlgorithm(pem: string): string {
  const text = execFileSync('openssl', ['x509', '-noout', '-text'], {
    input: pem,
    encoding: 'utf8',
  });
  return /Signature Algorithm:\s*(\S+)/.exec(text)?.[1] ?? '';
}

function toInfo(peer: PeerCertificate): CertificateInfo {
  const pem =
    `-----BEGIN CERTIFICATE-----\n${peer.raw.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`.replace(
      /\n\n/,
      '\n',
    );
  const x509 = new X509Certificate(peer.raw);
  const keyType = x509.publicKey.asymmetricKeyType ?? '';
  return {
    subject: x509.subject.replace(/\n/g, ', '),
    issuer: x509.issuer.replace(/\n/g, ', '),
    subjectAltNames: (x509.subjectAltName ?? '')
      .split(', ')
      .filter(Boolean)
      .map((name) => name.replace(/^DNS:/, '')),
    validFrom: new Date(peer.valid_from).toISOString(),
    validTo: new Date(peer.valid_to).toISOString(),
    serialNumber: peer.serialNumber,
    fingerprint256: peer.fingerprint256,
    keyType,
    keyBits: typeof peer.bits === 'number' ? peer.bits : null,
    curve: (peer as PeerCertificate & { asn1Curve?: string }).asn1Curve ?? null,
    signatureAlgorithm: signatureAlgorithm(pem),
    selfIssued: x509.subject === x509.issuer,
    pem,
  };
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
        resolve(toInfo(socket.getPeerCertificate(true)));
        socket.destroy();
      });
      socket.once('error', reject);
    });
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
