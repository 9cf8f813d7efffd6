import { describe, expect, it } from 'vitest';
import { parsePermissionsPolicy, permissionsPolicy } from './permissions-policy.js';
import { context, withFinalHeaders } from './test-site.js';

const check = (values: Record<string, string>) =>
  permissionsPolicy(withFinalHeaders(values), context)[0]!;

describe('parsePermissionsPolicy', () => {
  it('reads empty, self, origins and wildcard allowlists', () => {
    expect(
      parsePermissionsPolicy(
        'camera=(), geolocation=(self "https://maps.example"), usb=*, fullscreen=self',
      ),
    ).toEqual({
      camera: { all: false, self: false, origins: [] },
      geolocation: { all: false, self: true, origins: ['https://maps.example'] },
      usb: { all: true, self: false, origins: [] },
      fullscreen: { all: false, self: true, origins: [] },
    });
  });

  it('sees a wildcard inside an inner list and ignores parameters', () => {
    expect(parsePermissionsPolicy('camera=(* self);report-to=main')).toEqual({
      camera: { all: true, self: true, origins: [] },
    });
  });

  it.each(['camera', 'camera=(self', 'camera=none', 'Camera=()', 'camera=("https://a, b"'])(
    'rejects %s',
    (value) => {
      expect(() => parsePermissionsPolicy(value)).toThrow();
    },
  );

  it('keeps a comma inside a quoted origin', () => {
    expect(parsePermissionsPolicy('camera=("https://a,b")').camera!.origins).toEqual([
      'https://a,b',
    ]);
  });
});

describe('permissions-policy', () => {
  it('fails when absent', () => {
    expect(check({})).toMatchObject({
      result: 'permissions-policy-not-implemented',
      pass: false,
      severity: 'low',
      scoreModifier: -5,
      evidence: null,
    });
  });

  it('says when only Feature-Policy is sent', () => {
    expect(check({ 'feature-policy': "camera 'none'" })).toMatchObject({
      result: 'permissions-policy-only-feature-policy',
      evidence: "Feature-Policy: camera 'none'",
    });
  });

  it('fails an unparsable header', () => {
    expect(check({ 'permissions-policy': "camera 'none'" })).toMatchObject({
      result: 'permissions-policy-header-invalid',
      pass: false,
    });
  });

  it('flags powerful features open to every origin', () => {
    const finding = check({
      'permissions-policy': 'camera=*, microphone=(*), geolocation=(), fullscreen=*',
    });
    expect(finding).toMatchObject({
      result: 'permissions-policy-powerful-features-open',
      pass: false,
      severity: 'medium',
      scoreModifier: -10,
      evidence: 'camera=*, microphone=*',
    });
  });

  it('gives the bonus when camera, microphone and geolocation are closed or self-only', () => {
    expect(
      check({ 'permissions-policy': 'camera=(), microphone=(), geolocation=(self)' }),
    ).toMatchObject({
      result: 'permissions-policy-restrictive',
      pass: true,
      scoreModifier: 5,
    });
  });

  it('passes without the bonus when core features are not named', () => {
    expect(check({ 'permissions-policy': 'fullscreen=(self)' })).toMatchObject({
      result: 'permissions-policy-implemented',
      pass: true,
      scoreModifier: 0,
    });
  });

  it('gives no bonus when a core feature is delegated to another origin', () => {
    const finding = check({
      'permissions-policy': 'camera=(), microphone=(), geolocation=(self "https://maps.example")',
    });
    expect(finding.scoreModifier).toBe(0);
  });
});
