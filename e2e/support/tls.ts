import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A self-signed P-256 certificate for `localhost`, written as `fullchain.pem` and `privkey.pem`
 * into `dir` (the names the nginx edge config expects); returns the certificate's PEM, which
 * the test's client trusts.
 */
export function selfSignedLocalhost(dir: string, days: number): string {
  const openssl = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      String(days),
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      join(dir, 'privkey.pem'),
      '-out',
      join(dir, 'fullchain.pem'),
    ],
    { encoding: 'utf8' },
  );
  if (openssl.status !== 0) throw new Error(`openssl failed: ${openssl.stderr}`);
  return readFileSync(join(dir, 'fullchain.pem'), 'utf8');
}
