// Signature algorithms of the served chain. SHA-1 and MD5 signatures can be forged (collisions
// are practical), so a certificate signed with them proves nothing. Self-issued certificates
// other than the leaf are trust anchors, whose own signature no client checks, so they are
// skipped.
import type { Check } from '../types.js';
import { DOCS, finding, noTls, targetTls } from './finding.js';
import { everyEndpoint } from './tls-endpoints.js';

const TEST = 'tls-signature-algorithm';
const WEAK = /md5|md2|sha-?1(?!\d)/i;

export const tlsSignatureAlgorithm: Check = everyEndpoint((site) => {
  const chain = targetTls(site)?.tls.chain ?? [];
  if (chain.length === 0) return [noTls(TEST, DOCS.tls)];
  const checked = chain.filter((cert, index) => index === 0 || !cert.selfIssued);
  const weak = checked.filter((cert) => WEAK.test(cert.signatureAlgorithm));
  const algorithms = checked.map((cert) => cert.signatureAlgorithm);
  if (weak.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'tls-signature-algorithm-weak',
        pass: false,
        severity: 'high',
        description: 'A certificate of the chain is signed with a broken hash (SHA-1 or MD5).',
        evidence: weak.map((cert) => `${cert.subject}: ${cert.signatureAlgorithm}`).join('; '),
        recommendation:
          'Reissue the certificate (and any intermediate) with a SHA-256 or stronger signature.',
        docs: DOCS.tls,
        data: { algorithms },
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'tls-signature-algorithm-ok',
      pass: true,
      severity: 'info',
      description: 'The chain is signed with current algorithms.',
      evidence: algorithms.join(', '),
      docs: DOCS.tls,
      data: { algorithms },
    }),
  ];
});
