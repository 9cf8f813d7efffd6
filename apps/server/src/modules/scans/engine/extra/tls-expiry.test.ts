import { describe, expect, it } from 'vitest';
import { servedCertificate } from './test-certs.js';
import { certificate, context, withTls } from './test-site.js';
import { tlsCertificateExpiry } from './tls-expiry.js';

const DAY = 86_400_000;
// context.now is 2026-06-01T12:00Z.
const inDays = (days: number) => new Date(context.now.getTime() + days * DAY).toISOString();

describe('tls-certificate-expiry', () => {
  it.each([
    ['90 days left', inDays(90), 'tls-certificate-expiry-ok', true, 'info', 0],
    ['30 days left is fine', inDays(30), 'tls-certificate-expiry-ok', true, 'info', 0],
    [
      '29 days left warns',
      inDays(29.5),
      'tls-certificate-expires-within-30-days',
      false,
      'low',
      -5,
    ],
    ['7 days left warns', inDays(7), 'tls-certificate-expires-within-30-days', false, 'low', -5],
    ['6 days left fails', inDays(6.9), 'tls-certificate-expires-within-7-days', false, 'high', -20],
    [
      'an hour left fails',
      inDays(1 / 24),
      'tls-certificate-expires-within-7-days',
      false,
      'high',
      -20,
    ],
    [
      'expired a second ago',
      new Date(context.now.getTime() - 1000).toISOString(),
      'tls-certificate-expired',
      false,
      'critical',
      -40,
    ],
  ])('%s', (_label, validTo, result, pass, severity, modifier) => {
    const [finding] = tlsCertificateExpiry(withTls({ chain: [certificate({ validTo })] }), context);
    expect(finding).toMatchObject({
      test: 'tls-certificate-expiry',
      result,
      pass,
      severity,
      scoreModifier: modifier,
    });
    expect(finding!.evidence).toBe(`valid until ${validTo}`);
  });

  it('fails a certificate that is not valid yet', () => {
    const chain = [certificate({ validFrom: inDays(2), validTo: inDays(100) })];
    const [finding] = tlsCertificateExpiry(withTls({ chain }), context);
    expect(finding).toMatchObject({
      result: 'tls-certificate-not-yet-valid',
      pass: false,
      severity: 'high',
    });
  });

  it('reads the dates of a real certificate', async () => {
    const leaf = await servedCertificate({ key: 'ec', curve: 'prime256v1', days: 3 });
    const [finding] = tlsCertificateExpiry(withTls({ chain: [leaf] }), {
      ...context,
      now: new Date(),
    });
    expect(finding).toMatchObject({ result: 'tls-certificate-expires-within-7-days', pass: false });
    expect(finding!.data).toMatchObject({ daysLeft: 2 });
  });
});
