import { describe, expect, it } from 'vitest';
import { headers, probe, site, context, withFinalHeaders } from './test-site.js';
import { versionHeaders } from './version-headers.js';

const check = (values: Record<string, string>) =>
  versionHeaders(withFinalHeaders(values), context)[0]!;

describe('server-version-headers', () => {
  it.each([
    [{ server: 'nginx/1.18.0 (Ubuntu)' }, 'Server: nginx/1.18.0 (Ubuntu)'],
    [{ server: 'Apache/2.4.41' }, 'Server: Apache/2.4.41'],
    [{ 'x-powered-by': 'PHP/8.1.2' }, 'X-Powered-By: PHP/8.1.2'],
    [{ 'x-aspnet-version': '4.0.30319' }, 'X-AspNet-Version: 4.0.30319'],
    [{ server: 'Microsoft-IIS/10.0', 'x-powered-by': 'ASP.NET' }, 'Server: Microsoft-IIS/10.0'],
  ])('fails %o', (values, evidence) => {
    expect(check(values)).toMatchObject({
      result: 'server-version-disclosed',
      pass: false,
      severity: 'low',
      scoreModifier: -5,
      evidence,
    });
  });

  it.each([
    [{ server: 'nginx' }, 'server-product-only'],
    [{ 'x-powered-by': 'Express' }, 'server-product-only'],
    [{ server: 'cloudflare' }, 'server-product-only'],
    [{}, 'server-headers-absent'],
  ])('passes %o', (values, result) => {
    expect(check(values)).toMatchObject({ result, pass: true, scoreModifier: 0 });
  });

  it('also reads the 404 response, which a different layer may send', () => {
    const notFound = {
      ...probe('https://example.test/x', 404, ''),
      headers: headers({ 'x-powered-by': 'Express/4.18' }),
    };
    expect(versionHeaders(site({ notFound }), context)[0]).toMatchObject({
      pass: false,
      evidence: 'X-Powered-By: Express/4.18',
    });
  });
});
