import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCidrs } from '../../../egress/index.js';
import { retrieveSite } from './retriever.js';
import {
  loopbackPolicy,
  makeTestPki,
  resolverFor,
  startTestServer,
  TLS_1_0_ONLY,
  type TestServer,
} from './test-support.js';

const pki = makeTestPki('site.test');
const resolver = resolverFor({ 'site.test': '127.0.0.2' });
const page =
  '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="default-src \'self\'">' +
  '<title>t</title></head><body>hello</body></html>';

const servers: TestServer[] = [];
async function start(...args: Parameters<typeof startTestServer>) {
  const server = await startTestServer(...args);
  servers.push(server);
  return server;
}
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('retrieveSite on a well-configured site', () => {
  let httpServer: TestServer;
  let httpsServer: TestServer;
  beforeAll(async () => {
    httpsServer = await start({
      host: '127.0.0.2',
      tls: pki.leaf,
      routes: {
        '/app': {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'strict-transport-security': 'max-age=63072000',
            'set-cookie': ['session=1; Secure; HttpOnly', 'theme=dark'],
          },
          body: page,
        },
        '/robots.txt': { headers: { 'set-cookie': 'robot=1' }, body: 'User-agent: *' },
        '/.env': { headers: { 'content-type': 'text/plain' }, body: 'SECRET=1' },
      },
    });
    httpServer = await start({
      host: '127.0.0.2',
      routes: {
        '*': (request, response) =>
          response
            .writeHead(301, { location: `https://site.test:${httpsServer.port}${request.url}` })
            .end(),
      },
    });
  });

  it('records both sessions, the page, cookies, probes and TLS versions', async () => {
    const stages: [string, number][] = [];
    const site = await retrieveSite(`https://site.test:${httpsServer.port}/app`, {
      policy: loopbackPolicy(),
      resolver,
      ca: pki.ca,
      ports: { http: httpServer.port },
      onProgress: (stage, percent) => stages.push([stage, percent]),
    });

    expect(site.hostname).toBe('site.test');
    expect(site.http.error).toBeNull();
    expect(site.http.hops.map((hop) => [hop.url, hop.status, hop.address])).toEqual([
      [`http://site.test:${httpServer.port}/app`, 301, '127.0.0.2'],
      [`https://site.test:${httpsServer.port}/app`, 200, '127.0.0.2'],
    ]);
    expect(site.https.hops).toHaveLength(1);
    const tls = site.https.hops[0]!.tls!;
    expect(tls).toMatchObject({
      authorized: true,
      authorizationError: null,
      hostnameMatches: true,
    });
    expect(tls.protocol).toBe('TLSv1.3');
    expect(tls.chain[0]).toMatchObject({
      keyType: 'ec',
      keyBits: 256,
      curve: 'prime256v1',
      signatureAlgorithm: 'ecdsa-with-SHA256',
      selfIssued: false,
    });
    expect(tls.chain[0]!.subjectAltNames).toContain('DNS:site.test');
    expect(tls.chain[0]!.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(Date.parse(tls.chain[0]!.validTo)).toBeGreaterThan(Date.now());

    expect(site.final?.url).toBe(`https://site.test:${httpsServer.port}/app`);
    expect(site.final?.headers['strict-transport-security']).toEqual(['max-age=63072000']);
    expect(site.html).toBe(page);
    expect(site.htmlBytes).toBe(Buffer.byteLength(page));
    expect(site.htmlSha256).toBe(createHash('sha256').update(page).digest('hex'));
    expect(site.httpEquiv).toEqual({ 'content-security-policy': ["default-src 'self'"] });
    expect(site.cookies.map((cookie) => cookie.header)).toEqual([
      'session=1; Secure; HttpOnly',
      'theme=dark',
      'robot=1',
    ]);

    expect(httpsServer.requests).toContain('OPTIONS /app');
    expect(site.corsPreflight?.status).toBe(200);
    expect(site.notFound?.status).toBe(404);
    expect(site.notFound?.url).toMatch(/\/[0-9a-f]{24}$/);
    expect(site.probes['/.env']).toMatchObject({ status: 200, body: 'SECRET=1' });
    expect(Object.keys(site.probes).sort()).toEqual(
      [
        '/.env',
        '/.git/HEAD',
        '/.well-known/security.txt',
        '/security.txt',
        '/server-status',
      ].sort(),
    );
    expect(site.tlsVersions).toEqual({
      TLSv1: false,
      'TLSv1.1': false,
      'TLSv1.2': true,
      'TLSv1.3': true,
    });
    expect(stages.at(-1)).toEqual(['done', 100]);
  });
});

describe('retrieveSite with bad certificates', () => {
  it.each([
    ['expired', pki.expired, false, true, /CERT_HAS_EXPIRED/],
    ['self-signed', pki.selfSigned, false, true, /SELF_SIGNED|self.signed/i],
    ['wrong-host', pki.wrongHost, true, false, null],
  ] as const)(
    'reports a %s certificate and falls back to the http session',
    async (_name, pair, authorized, hostnameMatches, error) => {
      const httpsServer = await start({
        host: '127.0.0.2',
        tls: pair,
        routes: { '/': { body: 'secure' } },
      });
      const httpServer = await start({ host: '127.0.0.2', routes: { '/': { body: 'plain' } } });
      const site = await retrieveSite(`https://site.test:${httpsServer.port}/`, {
        policy: loopbackPolicy(),
        resolver,
        ca: pki.ca,
        ports: { http: httpServer.port },
      });
      const tls = site.https.hops[0]!.tls!;
      expect(tls.authorized).toBe(authorized);
      expect(tls.hostnameMatches).toBe(hostnameMatches);
      if (error) expect(tls.authorizationError).toMatch(error);
      if (!authorized) {
        expect(site.final?.url).toBe(`http://site.test:${httpServer.port}/`);
        expect(site.html).toBe('plain');
      }
    },
  );

  it('retrieves a site that speaks only TLS 1.0: its versions and its http session', async () => {
    const httpsServer = await start({
      host: '127.0.0.2',
      tls: { ...pki.leaf, ...TLS_1_0_ONLY },
      routes: { '/': { body: 'old' } },
    });
    const httpServer = await start({ host: '127.0.0.2', routes: { '/': { body: 'plain' } } });
    const site = await retrieveSite(`https://site.test:${httpsServer.port}/`, {
      policy: loopbackPolicy(),
      resolver,
      ca: pki.ca,
      ports: { http: httpServer.port },
    });
    expect(site.tlsVersions).toEqual({
      TLSv1: true,
      'TLSv1.1': false,
      'TLSv1.2': false,
      'TLSv1.3': false,
    });
    expect(site.https.hops).toEqual([]);
    expect(site.https.error).toMatch(/SSL|TLS|protocol|version/i);
    expect(site.final?.url).toBe(`http://site.test:${httpServer.port}/`);
    // The version probe's TLS 1.0 handshake stands in for the https session's TLS details.
    expect(site.legacyTls).toMatchObject({
      url: `https://site.test:${httpsServer.port}/`,
      status: 0,
      tls: { protocol: 'TLSv1', authorized: true, hostnameMatches: true },
    });
    expect(site.legacyTls!.tls!.chain[0]!.subjectAltNames).toContain('DNS:site.test');
  });
});

describe('retrieveSite and the egress policy', () => {
  it('re-checks every redirect hop: a redirect to a private address ends the chain unfetched', async () => {
    const inside = await start({ host: '127.0.0.1', routes: { '*': { body: 'internal' } } });
    const outside = await start({
      host: '127.0.0.2',
      routes: {
        '*': { status: 302, headers: { location: `http://127.0.0.1:${inside.port}/admin` } },
      },
    });
    const site = await retrieveSite(`http://site.test:${outside.port}/`, {
      policy: { allowCidrs: parseCidrs(['127.0.0.2']), allowedPorts: 'any' },
      resolver,
      ports: { https: outside.port + 1 },
    });
    expect(site.http.hops.map((hop) => hop.status)).toEqual([302]);
    expect(site.http.error).toMatch(/^redirect 1 to http:\/\/127.0.0.1:\d+\/admin: .*loopback/);
    expect(inside.requests).toEqual([]);
  });

  it('stops after 10 redirects', async () => {
    const loop = await start({
      host: '127.0.0.2',
      routes: {
        '*': (request, response) => {
          const n = Number((request.url ?? '/0').slice(1)) + 1;
          response.writeHead(302, { location: `/${n}` }).end();
        },
      },
    });
    const site = await retrieveSite(`http://site.test:${loop.port}/0`, {
      policy: loopbackPolicy(),
      resolver,
      ports: { https: loop.port + 1 },
    });
    expect(site.http.hops).toHaveLength(11);
    expect(site.http.error).toBe('more than 10 redirects');
  });

  it('refuses a target on a refused address without any request, and reports no site', async () => {
    const inside = await start({ host: '127.0.0.1', routes: { '*': { body: 'internal' } } });
    const site = await retrieveSite(`http://127.0.0.1:${inside.port}/`, {
      policy: { allowCidrs: [], allowedPorts: 'any' },
    });
    expect(site.final).toBeNull();
    expect(site.http.error).toMatch(/loopback/);
    expect(site.tlsVersions).toBeNull();
    expect(inside.requests).toEqual([]);
  });

  it('gives up on a site that never answers at the whole-retrieval deadline', async () => {
    const silent = await start({ host: '127.0.0.2', routes: { '*': () => {} } });
    const site = await retrieveSite(`http://site.test:${silent.port}/`, {
      policy: loopbackPolicy(),
      resolver,
      ports: { https: silent.port },
      deadlineMs: 300,
    });
    expect(site.final).toBeNull();
    expect(site.http.error).toMatch(/overall deadline/);
  });
});
