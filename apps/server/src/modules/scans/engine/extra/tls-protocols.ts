// Which TLS versions the HTTPS port accepts. TLS 1.0 and 1.1 are deprecated (RFC 8996): they
// lack modern cipher suites and every current browser refuses them, so offering them only helps
// downgrade attacks and old, unpatched clients. TLS 1.2 is the baseline; 1.3 earns a bonus.
import type { Check, TlsVersion } from '../types.js';
import { BONUS, DOCS, finding } from './finding.js';

const TEST = 'tls-protocols';

export const tlsProtocols: Check = (site) => {
  const versions = site.tlsVersions;
  if (!versions) {
    return [
      finding({
        test: TEST,
        result: 'tls-not-available',
        pass: false,
        severity: 'high',
        description: 'The HTTPS port does not offer TLS: the site cannot be reached securely.',
        recommendation: 'Serve the site over HTTPS with TLS 1.2 and 1.3.',
        docs: DOCS.tls,
      }),
    ];
  }
  const offered = (Object.keys(versions) as TlsVersion[]).filter((version) => versions[version]);
  const legacy = offered.filter((version) => version === 'TLSv1' || version === 'TLSv1.1');
  const evidence = offered.length > 0 ? `accepted: ${offered.join(', ')}` : 'no version accepted';
  const data = { versions };
  if (legacy.length > 0) {
    return [
      finding({
        test: TEST,
        result: 'tls-protocols-legacy-offered',
        pass: false,
        severity: 'high',
        description: `The server still accepts ${legacy.join(' and ')}, which are deprecated.`,
        evidence,
        recommendation: 'Disable TLS 1.0 and 1.1; offer TLS 1.2 and 1.3 only.',
        docs: DOCS.tlsDeprecation,
        data,
      }),
    ];
  }
  if (!versions['TLSv1.2'] && !versions['TLSv1.3']) {
    return [
      finding({
        test: TEST,
        result: 'tls-protocols-none-accepted',
        pass: false,
        severity: 'high',
        description: 'The server accepted none of TLS 1.0 to 1.3.',
        evidence,
        recommendation: 'Offer TLS 1.2 and 1.3.',
        docs: DOCS.tls,
        data,
      }),
    ];
  }
  if (versions['TLSv1.3']) {
    return [
      finding({
        test: TEST,
        result: 'tls-protocols-tls13-supported',
        pass: true,
        severity: 'info',
        scoreModifier: BONUS,
        description: 'Only current TLS versions are accepted, TLS 1.3 included.',
        evidence,
        docs: DOCS.tls,
        data,
      }),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'tls-protocols-modern-only',
      pass: true,
      severity: 'info',
      description: 'Only TLS 1.2 is accepted; TLS 1.3 is not offered.',
      evidence,
      recommendation: 'Enable TLS 1.3 as well: a faster handshake and only strong cipher suites.',
      docs: DOCS.tls,
      data,
    }),
  ];
};
