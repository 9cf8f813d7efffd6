// The extra checks end to end: real local HTTP and HTTPS servers (certificates from the test
// PKI), fetched by the real retriever, judged by extraChecks. The unit tests pin each rule; this
// proves the retriever records what the checks read (probes, TLS details, versions, hops).
import type { Finding } from '@bastion/contract';
import { afterEach, describe, expect, it } from 'vitest';
import { retrieveSite } from '../retriever.js';
import {
  loopbackPolicy,
  makeTestPki,
  resolverFor,
  startTestServer,
  TLS_1_0_ONLY,
  type TestServer,
  type TestServerOptions,
} from '../test-support.js';
import { extraChecks, scoreExtra } from './index.js';

const pki = makeTestPki('site.test');
const resolver = resolverFor({ 'site.test': '127.0.0.3' });
let servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((server) => server.close()));
  servers = [];
});

async function scan(
  tls: NonNullable<TestServerOptions['tls']>,
  routes: TestServerOptions['routes'],
) {
  const httpsServer = await startTestServer({ host: '127.0.0.3', tls, routes });
  const httpServer = await startTestServer({
    host: '127.0.0.3',
    routes: {
      '*': (request, response) =>
        response
          .writeHead(301, { location: `https://site.test:${httpsServer.port}${request.url}` })
          .end(),
    },
  });
  servers.push(httpsServer, httpServer);
  const site = await retrieveSite(`https://site.test:${httpsServer.port}/`, {
    policy: loopbackPolicy(),
    resolver,
    ca: pki.ca,
    ports: { http: httpServer.port },
  });
  const now = new Date();
  const findings = extraChecks.flatMap((check) => check(site, { now, isPreloaded: () => false }));
  return {
    findings,
    byTest: new Map(findings.map((finding): [string, Finding] => [finding.test, finding])),
  };
}

const inAYear = new Date(Date.now() + 200 * 86_400_000).toISOString();

describe('extra checks against local servers', () => {
  it('a well-configured site passes and earns its bonuses', async () => {
    const { findings, byTest } = await scan(pki.leaf, {
      '/': {
        headers: {
          'content-type': 'text/html; charset=utf-8',
          'strict-transport-security': 'max-age=63072000',
          'content-security-policy':
            "script-src 'nonce-r4nd0mR4nd0mR4nd0m' 'strict-dynamic'; object-src 'none'; base-uri 'none'",
          'permissions-policy': 'camera=(), microphone=(), geolocation=()',
          server: 'nginx',
        },
        body: '<!doctype html><title>ok</title><script nonce="r4nd0mR4nd0mR4nd0m" src="/app.js"></script>',
      },
      '/.well-known/security.txt': {
        headers: { 'content-type': 'text/plain' },
        body: `Contact: mailto:security@site.test\nExpires: ${inAYear}\n`,
      },
    });
    const failed = findings
      .filter((finding) => finding.pass === false)
      .map((finding) => finding.result);
    expect(failed).toEqual([]);
    expect(byTest.get('tls-protocols')!.result).toBe('tls-protocols-tls13-supported');
    expect(byTest.get('tls-key')!.evidence).toBe('EC 256 bits (prime256v1)');
    expect(byTest.get('tls-signature-algorithm')!.evidence).toContain('ecdsa-with-SHA256');
    expect(byTest.get('csp-evaluation')!.result).toBe('csp-strict');
    expect(byTest.get('security-txt')!.result).toBe('security-txt-valid');
    expect(scoreExtra(findings)).toEqual({ score: 100, grade: 'A+' });
  });

  it('a neglected site fails what it should, without leaking the secrets', async () => {
    const { findings, byTest } = await scan(pki.expired, {
      '/': {
        headers: {
          'content-type': 'text/html',
          server: 'Apache/2.4.1 (Unix)',
          'x-powered-by': 'PHP/5.6.40',
        },
        body: '<!doctype html><title>old</title><script src="http://cdn.site.test/jquery.js"></script>',
      },
      '/.env': {
        headers: { 'content-type': 'text/plain' },
        body: 'DB_PASSWORD=hunter2\nAPP_KEY=base64:zzz\n',
      },
      '/.git/HEAD': {
        headers: { 'content-type': 'text/plain' },
        body: 'ref: refs/heads/release-secret\n',
      },
      '*': {
        status: 500,
        body: 'Traceback (most recent call last):\n  File "/srv/app.py", line 1',
      },
    });
    const result = (test: string) => byTest.get(test)?.result;
    expect(result('tls-certificate-expiry')).toBe('tls-certificate-expired');
    expect(result('server-version-headers')).toBe('server-version-disclosed');
    expect(result('exposed-env')).toBe('exposed-env-file');
    expect(result('exposed-git')).toBe('exposed-git-repository');
    expect(result('error-page-disclosure')).toBe('error-page-stack-trace');
    expect(result('mixed-content')).toBe('mixed-content-active');
    expect(result('hsts-every-hop')).toBe('hsts-missing-on-some-hops');
    expect(byTest.get('exposed-env')!.evidence).toContain('keys: DB_PASSWORD, APP_KEY');
    const text = JSON.stringify(findings);
    for (const secret of ['hunter2', 'zzz', 'release-secret', '/srv/app.py'])
      expect(text).not.toContain(secret);
    expect(scoreExtra(findings)).toMatchObject({ grade: 'F' });
  });

  it('a TLS 1.0-only site fails the protocol check, and its certificate is still examined', async () => {
    const { byTest } = await scan(
      { ...pki.expired, ...TLS_1_0_ONLY },
      { '/': { body: '<title>old</title>' } },
    );
    expect(byTest.get('tls-protocols')).toMatchObject({
      result: 'tls-protocols-legacy-offered',
      evidence: 'accepted: TLSv1',
    });
    // The page fetch refuses TLS 1.0 like a browser; the certificate comes from the version
    // probe's handshake, so an expired one is reported rather than "not tested".
    expect(byTest.get('tls-certificate-expiry')!.result).toBe('tls-certificate-expired');
    expect(byTest.get('tls-hostname')!.pass).toBe(true);
    expect(byTest.get('tls-key')!.pass).not.toBeNull();
  });
});
