// The certificate names the host. Checked apart from the chain: a valid certificate for another
// name is as bad as none, and says something different (a misrouted virtual host, a shared IP).
import type { Check } from '../types.js';
import { DOCS, clip, finding, noTls, targetTls } from './finding.js';
import { everyEndpoint } from './tls-endpoints.js';

const TEST = 'tls-hostname';

export const tlsHostname: Check = everyEndpoint((site) => {
  const target = targetTls(site);
  if (!target) return [noTls(TEST, DOCS.certificates)];
  const leaf = target.tls.chain[0];
  // Names as the retriever records them (`DNS:example.test`); shown without the type prefix.
  const names = (leaf?.subjectAltNames ?? []).map((name) => name.replace(/^DNS:/i, ''));
  const evidence = clip(
    `host ${site.hostname}; certificate names: ${names.join(', ') || leaf?.subject || 'none'}`,
  );
  if (target.tls.hostnameMatches) {
    return [
      finding({
        test: TEST,
        result: 'tls-hostname-matches',
        pass: true,
        severity: 'info',
        description: 'The certificate is issued for this host name.',
        evidence,
        docs: DOCS.certificates,
        data: { subjectAltNames: names },
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'tls-hostname-mismatch',
      pass: false,
      severity: 'high',
      description: 'The certificate is not issued for this host name: browsers refuse it.',
      evidence,
      recommendation: `Serve a certificate whose Subject Alternative Names include ${site.hostname}.`,
      docs: DOCS.certificates,
      data: { subjectAltNames: names },
    }),
  ];
});
