import { describe, expect, it } from 'vitest';
import { parseSecurityTxt, securityTxt } from './security-txt.js';
import { context, probe, site } from './test-site.js';
import type { Probe } from '../types.js';

// context.now is 2026-06-01T12:00Z.
const VALID =
  'Contact: mailto:security@example.test\nExpires: 2026-12-31T23:00:00.000Z\nPreferred-Languages: en\n';
const WELL_KNOWN = '/.well-known/security.txt';

function run(probes: Record<string, Probe>) {
  return securityTxt(site({ probes }), context)[0]!;
}
const at = (
  body: string,
  path = WELL_KNOWN,
  origin = 'https://example.test',
  status = 200,
  type = 'text/plain',
) => ({
  [path]: probe(`${origin}${path}`, status, body, type),
});

describe('parseSecurityTxt', () => {
  it('reads fields case-insensitively and skips comments', () => {
    expect(
      parseSecurityTxt(
        '# hi\ncontact: mailto:a@b.test\nCONTACT: https://b.test/report\nExpires: 2027-01-01T00:00:00Z',
      ),
    ).toEqual({
      contact: ['mailto:a@b.test', 'https://b.test/report'],
      expires: ['2027-01-01T00:00:00Z'],
    });
  });

  it('reads a PGP-signed file without the armor headers or the signature', () => {
    const signed = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\n${VALID}-----BEGIN PGP SIGNATURE-----\nComment: x\n\niQIz...\n-----END PGP SIGNATURE-----\n`;
    expect(parseSecurityTxt(signed)).toEqual({
      contact: ['mailto:security@example.test'],
      expires: ['2026-12-31T23:00:00.000Z'],
      'preferred-languages': ['en'],
    });
  });
});

describe('security-txt', () => {
  it('passes a valid file', () => {
    expect(run(at(VALID))).toMatchObject({
      result: 'security-txt-valid',
      pass: true,
      scoreModifier: 0,
      evidence: 'https://example.test/.well-known/security.txt (Expires: 2026-12-31T23:00:00.000Z)',
      recommendation: null,
    });
  });

  it('recommends an Expires under a year ahead', () => {
    const finding = run(at('Contact: mailto:s@example.test\nExpires: 2028-01-01T00:00:00Z'));
    expect(finding).toMatchObject({ result: 'security-txt-expires-over-a-year', pass: true });
    expect(finding.recommendation).toContain('less than a year');
  });

  it('accepts the legacy location but says to move it', () => {
    const finding = run({
      ...at('', WELL_KNOWN, 'https://example.test', 404),
      ...at(VALID, '/security.txt'),
    });
    expect(finding).toMatchObject({ result: 'security-txt-valid', pass: true });
    expect(finding.recommendation).toContain('/.well-known/security.txt');
  });

  it.each([
    ['no Contact', 'Expires: 2026-12-31T23:00:00Z', 'security-txt-contact-missing'],
    [
      'a bare e-mail Contact',
      'Contact: security@example.test\nExpires: 2026-12-31T23:00:00Z',
      'security-txt-contact-invalid',
    ],
    [
      'an http:// Contact',
      'Contact: http://example.test/report\nExpires: 2026-12-31T23:00:00Z',
      'security-txt-contact-invalid',
    ],
    ['no Expires', 'Contact: mailto:s@example.test', 'security-txt-expires-invalid'],
    [
      'two Expires',
      'Contact: mailto:s@example.test\nExpires: 2026-12-31T23:00:00Z\nExpires: 2026-11-30T23:00:00Z',
      'security-txt-expires-invalid',
    ],
    [
      'a non-RFC-3339 Expires',
      'Contact: mailto:s@example.test\nExpires: Thu, 31 Dec 2026 23:00:00 GMT',
      'security-txt-expires-invalid',
    ],
    [
      'an expired file',
      'Contact: mailto:s@example.test\nExpires: 2026-05-31T12:00:00Z',
      'security-txt-expired',
    ],
  ])('fails with %s', (_label, body, result) => {
    expect(run(at(body))).toMatchObject({
      result,
      pass: false,
      severity: 'low',
      scoreModifier: -5,
    });
  });

  it('fails a file served over http only', () => {
    const finding = run(at(VALID, WELL_KNOWN, 'http://example.test'));
    expect(finding).toMatchObject({ result: 'security-txt-http-only', pass: false });
    expect(finding.description).toContain('HTTPS');
  });

  it('fails when absent or when a catch-all serves HTML', () => {
    expect(run(at('', WELL_KNOWN, 'https://example.test', 404))).toMatchObject({
      result: 'security-txt-not-implemented',
      pass: false,
    });
    expect(
      run(at('<html>shop</html>', WELL_KNOWN, 'https://example.test', 200, 'text/html')),
    ).toMatchObject({
      result: 'security-txt-not-implemented',
    });
  });

  it('does not apply when not probed', () => {
    expect(run({})).toMatchObject({ result: 'security-txt-not-tested', pass: null });
  });
});
