// The certificate chain verifies against the trusted CAs. A browser shows a full-page warning
// otherwise, and users trained to click through it can be intercepted.
import type { Check } from '../types.js';
import { DOCS, finding, noTls, targetTls } from './finding.js';
import { everyEndpoint } from './tls-endpoints.js';

const TEST = 'tls-certificate-chain';

export const tlsCertificateChain: Check = everyEndpoint((site) => {
  const target = targetTls(site);
  if (!target) return [noTls(TEST, DOCS.certificates)];
  const { tls } = target;
  const leaf = tls.chain[0];
  const data = { authorizationError: tls.authorizationError, chainLength: tls.chain.length };
  if (tls.authorized) {
    return [
      finding({
        test: TEST,
        result: 'tls-certificate-chain-valid',
        pass: true,
        severity: 'info',
        description: 'The certificate chain verifies against the trusted certificate authorities.',
        evidence: leaf ? `issuer: ${leaf.issuer}` : null,
        docs: DOCS.certificates,
        data,
      }),
    ];
  }
  const selfSigned = leaf?.selfIssued === true && tls.chain.length === 1;
  return [
    finding({
      test: TEST,
      result: selfSigned ? 'tls-certificate-self-signed' : 'tls-certificate-chain-invalid',
      pass: false,
      severity: 'high',
      description: selfSigned
        ? 'The certificate is self-signed: browsers do not trust it.'
        : 'The certificate chain does not verify against the trusted certificate authorities.',
      evidence: tls.authorizationError ?? 'not authorized',
      recommendation:
        'Use a certificate from a public CA (e.g. an ACME one) and serve the full chain, intermediates included.',
      docs: DOCS.certificates,
      data,
    }),
  ];
});
