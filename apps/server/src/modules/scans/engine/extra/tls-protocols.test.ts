import { describe, expect, it } from 'vitest';
import { context, site } from './test-site.js';
import { tlsProtocols } from './tls-protocols.js';

const versions = (v10: boolean, v11: boolean, v12: boolean, v13: boolean) => ({
  TLSv1: v10,
  'TLSv1.1': v11,
  'TLSv1.2': v12,
  'TLSv1.3': v13,
});

describe('tls-protocols', () => {
  it.each([
    [
      'TLS 1.2 + 1.3: pass with the bonus',
      versions(false, false, true, true),
      'tls-protocols-tls13-supported',
      true,
      5,
    ],
    [
      'TLS 1.2 only: pass, no bonus',
      versions(false, false, true, false),
      'tls-protocols-modern-only',
      true,
      0,
    ],
    [
      'TLS 1.3 only: pass with the bonus',
      versions(false, false, false, true),
      'tls-protocols-tls13-supported',
      true,
      5,
    ],
    [
      'TLS 1.0 only: fail',
      versions(true, false, false, false),
      'tls-protocols-legacy-offered',
      false,
      -20,
    ],
    [
      'TLS 1.1 next to 1.3: fail, no bonus',
      versions(false, true, true, true),
      'tls-protocols-legacy-offered',
      false,
      -20,
    ],
    [
      'nothing accepted',
      versions(false, false, false, false),
      'tls-protocols-none-accepted',
      false,
      -20,
    ],
  ])('%s', (_label, tlsVersions, result, pass, modifier) => {
    const [finding] = tlsProtocols(site({ tlsVersions }), context);
    expect(finding).toMatchObject({
      test: 'tls-protocols',
      source: 'extra',
      result,
      pass,
      scoreModifier: modifier,
    });
    expect(finding!.docs).toMatch(/^https:\/\//);
  });

  it('names the legacy versions in the evidence', () => {
    const [finding] = tlsProtocols(
      site({ tlsVersions: versions(true, true, true, false) }),
      context,
    );
    expect(finding!.evidence).toBe('accepted: TLSv1, TLSv1.1, TLSv1.2');
    expect(finding!.description).toContain('TLSv1 and TLSv1.1');
    expect(finding!.severity).toBe('high');
  });

  it('fails a site whose https port offers no TLS at all', () => {
    const [finding] = tlsProtocols(site({ tlsVersions: null }), context);
    expect(finding).toMatchObject({ result: 'tls-not-available', pass: false, severity: 'high' });
  });
});
