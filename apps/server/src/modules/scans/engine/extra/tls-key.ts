// Key type and size of the leaf certificate. RSA below 2048 bits and EC curves below 256 bits are
// within reach of well-funded attackers and refused by current CA rules (CA/B Forum baseline).
import type { Check } from '../types.js';
import { DOCS, finding, noTls, targetTls } from './finding.js';
import { everyEndpoint } from './tls-endpoints.js';

const TEST = 'tls-key';

/** Smallest acceptable size per key type; types not listed (Ed25519, Ed448) have a fixed strong size. */
const MINIMUM_BITS: Record<string, number> = { rsa: 2048, 'rsa-pss': 2048, ec: 256, dsa: Infinity };

/** Field sizes of named curves, for when the key size was not recorded (the curve always is). */
const CURVE_BITS: Record<string, number> = {
  prime192v1: 192,
  secp192k1: 192,
  secp224r1: 224,
  secp224k1: 224,
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

export const tlsKey: Check = everyEndpoint((site) => {
  const leaf = targetTls(site)?.tls.chain[0];
  if (!leaf) return [noTls(TEST, DOCS.tls)];
  const type = leaf.keyType.toLowerCase();
  const bits =
    type === 'ec'
      ? ((leaf.curve ? CURVE_BITS[leaf.curve] : undefined) ?? leaf.keyBits)
      : leaf.keyBits;
  const evidence = `${type.toUpperCase()}${bits === null ? '' : ` ${bits} bits`}${leaf.curve ? ` (${leaf.curve})` : ''}`;
  const data = { keyType: type, keyBits: bits, curve: leaf.curve };
  const minimum = MINIMUM_BITS[type];
  if (type === 'dsa' || (minimum !== undefined && bits !== null && bits < minimum)) {
    return [
      finding({
        test: TEST,
        result: 'tls-key-too-weak',
        pass: false,
        severity: 'high',
        description:
          type === 'dsa'
            ? 'The certificate has a DSA key, which TLS clients no longer accept.'
            : `The certificate's ${type.toUpperCase()} key is ${bits} bits; at least ${minimum} are needed.`,
        evidence,
        recommendation: 'Issue a new certificate with an ECDSA P-256 (or larger) or RSA 2048+ key.',
        docs: DOCS.tls,
        data,
      }),
    ];
  }
  const unsized = minimum !== undefined && bits === null;
  if (unsized || (minimum === undefined && !['ed25519', 'ed448'].includes(type))) {
    return [
      finding({
        test: TEST,
        result: 'tls-key-unknown',
        pass: null,
        severity: 'info',
        description: unsized
          ? `The size of the certificate's ${type.toUpperCase()} key is not known.`
          : `The certificate's key type (${type || 'unknown'}) is not one this check knows.`,
        evidence,
        docs: DOCS.tls,
        data,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'tls-key-strong',
      pass: true,
      severity: 'info',
      description: 'The certificate key is strong enough.',
      evidence,
      docs: DOCS.tls,
      data,
    }),
  ];
});
