import { describe, expect, it } from 'vitest';
import { servedCertificate, type CertificateOptions } from './test-certs.js';
import { certificate, context, withTls } from './test-site.js';
import { tlsKey } from './tls-key.js';

describe('tls-key (real certificates)', () => {
  it.each<[string, CertificateOptions, string, boolean, string]>([
    ['RSA 1024 fails', { key: 'rsa:1024' }, 'tls-key-too-weak', false, 'RSA 1024 bits'],
    ['RSA 2048 passes', { key: 'rsa:2048' }, 'tls-key-strong', true, 'RSA 2048 bits'],
    [
      'EC P-224 fails',
      { key: 'ec', curve: 'secp224r1' },
      'tls-key-too-weak',
      false,
      'EC 224 bits (secp224r1)',
    ],
    [
      'EC P-256 passes',
      { key: 'ec', curve: 'prime256v1' },
      'tls-key-strong',
      true,
      'EC 256 bits (prime256v1)',
    ],
    [
      'EC P-384 passes',
      { key: 'ec', curve: 'secp384r1' },
      'tls-key-strong',
      true,
      'EC 384 bits (secp384r1)',
    ],
    ['Ed25519 passes', { key: 'ed25519' }, 'tls-key-strong', true, 'ED25519 256 bits'],
  ])('%s', async (_label, options, result, pass, evidence) => {
    const leaf = await servedCertificate(options);
    const [finding] = tlsKey(withTls({ chain: [leaf] }), context);
    expect(finding).toMatchObject({
      test: 'tls-key',
      result,
      pass,
      evidence,
      scoreModifier: pass ? 0 : -20,
    });
  });

  it('does not pass an EC key whose size is unknown', () => {
    const leaf = certificate({ keyType: 'ec', keyBits: null, curve: 'sect163k1' });
    expect(tlsKey(withTls({ chain: [leaf] }), context)[0]).toMatchObject({
      result: 'tls-key-unknown',
      pass: null,
    });
  });

  it('fails DSA whatever its size', () => {
    const [finding] = tlsKey(
      withTls({ chain: [certificate({ keyType: 'dsa', keyBits: 3072, curve: null })] }),
      context,
    );
    expect(finding).toMatchObject({ result: 'tls-key-too-weak', pass: false });
  });

  it('does not judge a key type it does not know', () => {
    const [finding] = tlsKey(
      withTls({ chain: [certificate({ keyType: 'x448', keyBits: null, curve: null })] }),
      context,
    );
    expect(finding).toMatchObject({ result: 'tls-key-unknown', pass: null, scoreModifier: 0 });
  });
});
