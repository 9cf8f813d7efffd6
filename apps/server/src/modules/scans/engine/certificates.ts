import { X509Certificate, type KeyObject } from 'node:crypto';
import type { DetailedPeerCertificate } from 'node:tls';
import type { CertificateInfo } from './types.js';

// Parsed fields of a peer's certificate chain, for the TLS checks and the raw output.

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp256k1: 256,
};

/** Names of the signature algorithms seen on the web, by OID. */
const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'ED25519',
  '1.3.101.113': 'ED448',
};

/** Reads one DER tag-length header: where the content starts and how long it is. */
function derHeader(der: Buffer, offset: number): { start: number; length: number } {
  const first = der[offset + 1]!;
  if (first < 0x80) return { start: offset + 2, length: first };
  const count = first & 0x7f;
  let length = 0;
  for (let index = 0; index < count; index++) length = length * 256 + der[offset + 2 + index]!;
  return { start: offset + 2 + count, length };
}

/**
 * The certificate's signatureAlgorithm OID (Node 20's X509Certificate does not expose it):
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID … } … }.
 */
export function signatureAlgorithmOf(der: Buffer): string {
  try {
    const outer = derHeader(der, 0);
    const tbs = derHeader(der, outer.start);
    const algorithm = derHeader(der, tbs.start + tbs.length);
    const oid = derHeader(der, algorithm.start);
    const bytes = der.subarray(oid.start, oid.start + oid.length);
    const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
    let value = 0;
    for (const byte of bytes.subarray(1)) {
      value = value * 128 + (byte & 0x7f);
      if (byte < 0x80) {
        parts.push(value);
        value = 0;
      }
    }
    const dotted = parts.join('.');
    return SIGNATURE_ALGORITHMS[dotted] ?? dotted;
  } catch {
    return 'unknown';
  }
}

function keyFields(key: KeyObject): Pick<CertificateInfo, 'keyType' | 'keyBits' | 'curve'> {
  const type = key.asymmetricKeyType ?? 'unknown';
  const details = key.asymmetricKeyDetails ?? {};
  const curve = details.namedCurve ?? null;
  const edwards: Record<string, number> = { ed25519: 256, ed448: 456 };
  const bits =
    details.modulusLength ?? (curve ? CURVE_BITS[curve] : undefined) ?? edwards[type] ?? null;
  return { keyType: type, keyBits: bits, curve };
}

export function certificateInfo(der: Buffer): CertificateInfo {
  const certificate = new X509Certificate(der);
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    subjectAltNames: (certificate.subjectAltName ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    validFrom: new Date(certificate.validFrom).toISOString(),
    validTo: new Date(certificate.validTo).toISOString(),
    serialNumber: certificate.serialNumber,
    fingerprint256: certificate.fingerprint256,
    ...keyFields(certificate.publicKey),
    signatureAlgorithm: signatureAlgorithmOf(der),
    selfIssued: certificate.subject === certificate.issuer,
    pem: certificate.toString(),
  };
}

/** The chain the peer presented (leaf first), following issuerCertificate until it loops. */
export function chainOf(peer: DetailedPeerCertificate): CertificateInfo[] {
  const chain: CertificateInfo[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(certificateInfo(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}
