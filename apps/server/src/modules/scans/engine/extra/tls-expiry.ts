// Days until the leaf certificate expires. An expired certificate takes the site down for every
// visitor (critical); under a week left means renewal has failed (high); under 30 days is the
// point where automated renewal should already have happened (a warning).
import type { FindingSeverity } from '@bastion/contract';
import type { Check } from '../types.js';
import { DOCS, finding, noTls, targetTls } from './finding.js';
import { everyEndpoint } from './tls-endpoints.js';

const TEST = 'tls-certificate-expiry';
const DAY_MS = 86_400_000;

export const tlsCertificateExpiry: Check = everyEndpoint((site, context) => {
  const target = targetTls(site);
  const leaf = target?.tls.chain[0];
  if (!leaf) return [noTls(TEST, DOCS.certificates)];
  const validTo = new Date(leaf.validTo);
  const validFrom = new Date(leaf.validFrom);
  const daysLeft = Math.floor((validTo.getTime() - context.now.getTime()) / DAY_MS);
  const data = { validFrom: leaf.validFrom, validTo: leaf.validTo, daysLeft };
  const evidence = `valid until ${validTo.toISOString()}`;
  const renew = 'Renew the certificate and automate renewal (ACME) well before expiry.';
  const failed = (result: string, severity: FindingSeverity, description: string) =>
    finding({
      test: TEST,
      result,
      pass: false,
      severity,
      description,
      evidence,
      recommendation: renew,
      docs: DOCS.certificates,
      data,
    });

  if (validTo.getTime() <= context.now.getTime()) {
    return [failed('tls-certificate-expired', 'critical', 'The certificate has expired.')];
  }
  if (validFrom.getTime() > context.now.getTime()) {
    return [
      finding({
        test: TEST,
        result: 'tls-certificate-not-yet-valid',
        pass: false,
        severity: 'high',
        description:
          'The certificate is not valid yet (check the server clock or the certificate).',
        evidence: `valid from ${validFrom.toISOString()}`,
        recommendation: 'Serve a certificate that is valid now.',
        docs: DOCS.certificates,
        data,
      }),
    ];
  }
  if (daysLeft < 7) {
    return [
      failed(
        'tls-certificate-expires-within-7-days',
        'high',
        `The certificate expires in ${daysLeft} days.`,
      ),
    ];
  }
  if (daysLeft < 30) {
    return [
      failed(
        'tls-certificate-expires-within-30-days',
        'low',
        `The certificate expires in ${daysLeft} days.`,
      ),
    ];
  }
  return [
    finding({
      test: TEST,
      result: 'tls-certificate-expiry-ok',
      pass: true,
      severity: 'info',
      description: `The certificate is valid for another ${daysLeft} days.`,
      evidence,
      docs: DOCS.certificates,
      data,
    }),
  ];
});
