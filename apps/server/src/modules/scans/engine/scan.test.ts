import { OBSERVATORY_TESTS } from '@bastion/contract';
import { afterAll, describe, expect, it } from 'vitest';
import { scanUrl, toObservatoryJson } from './scan.js';
import {
  loopbackPolicy,
  makeTestPki,
  resolverFor,
  startTestServer,
  type TestServer,
} from './test-support.js';

const pki = makeTestPki('site.test');
const resolver = resolverFor({ 'site.test': '127.0.0.4' });
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

const strongHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

async function site(headers: Record<string, string>, redirect: boolean) {
  const secure = await startTestServer({
    host: '127.0.0.4',
    tls: pki.leaf,
    routes: {
      '/': { headers, body: '<!doctype html><title>x</title><p>hi</p>' },
      '/.env': { headers: { 'content-type': 'text/plain' }, body: 'DB_PASSWORD=hunter2' },
      '*': { status: 404, headers, body: 'nope' },
    },
  });
  const plain = await startTestServer({
    host: '127.0.0.4',
    routes: {
      '*': redirect
        ? (request, response) =>
            response
              .writeHead(301, { location: `https://site.test:${secure.port}${request.url}` })
              .end()
        : { headers: { 'content-type': 'text/html' }, body: '<p>plain</p>' },
    },
  });
  servers.push(secure, plain);
  return { secure, plain };
}

describe('scanUrl', () => {
  it('grades a well-configured site A+ with all 12 Observatory tests', async () => {
    const { secure, plain } = await site(strongHeaders, true);
    const { report, raw } = await scanUrl(`https://site.test:${secure.port}/`, {
      policy: loopbackPolicy(),
      resolver,
      ca: pki.ca,
      ports: { http: plain.port },
    });
    expect(report.error).toBeNull();
    const json = toObservatoryJson(report);
    expect(Object.keys(json.tests).sort()).toEqual([...OBSERVATORY_TESTS].sort());
    const failing = Object.entries(json.tests).filter(([, test]) => test.pass === false);
    expect(failing).toEqual([]);
    expect(report.grade).toBe('A+');
    expect(json.grade).toBe('A+');
    expect(json.score).toBe(report.score);
    expect(report.score).toBeGreaterThanOrEqual(100);

    // The raw output has the wire facts, but not the .env body.
    expect(raw.sessions.http.hops[0]).toMatchObject({
      status: 301,
      request: 'GET / HTTP/1.1 (Host: site.test:' + plain.port + ')',
    });
    expect(raw.sessions.https.hops[0]!.tls!.chain[0]!.pem).toMatch(/BEGIN CERTIFICATE/);
    expect(raw.html.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(raw.probes['/.env']!.body).toMatchObject({ bytes: 19, truncated: false });
    expect(JSON.stringify(raw)).not.toContain('hunter2');

    // The extra checks ran on the same site and were scored apart; the exposed .env is theirs.
    expect(report.findings.some((finding) => finding.source === 'extra')).toBe(true);
    expect(report.extra.grade).not.toBeNull();
    expect(Object.keys(json.extra.tests).length).toBeGreaterThan(0);
    const envLeak = report.findings.find(
      (finding) =>
        finding.source === 'extra' &&
        finding.pass === false &&
        /\.env/.test(`${finding.evidence} ${finding.description}`),
    );
    expect(envLeak, 'the exposed /.env is reported').toBeDefined();
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('grades a site with no security headers and no https redirect F', async () => {
    const { secure, plain } = await site({ 'content-type': 'text/html' }, false);
    const { report } = await scanUrl(`http://site.test:${plain.port}/`, {
      policy: loopbackPolicy(),
      resolver,
      ca: pki.ca,
      ports: { https: secure.port },
    });
    expect(report.grade).toBe('F');
    const json = toObservatoryJson(report);
    expect(json.tests['strict-transport-security']?.pass).toBe(false);
    expect(json.tests['content-security-policy']?.pass).toBe(false);
    expect(json.tests['redirection']?.pass).toBe(false);
  });

  it('reports an unreachable site as an error without a grade', async () => {
    const { report } = await scanUrl('http://127.0.0.1:9/', {
      policy: { allowCidrs: [], allowedPorts: 'any' },
    });
    expect(report).toMatchObject({ grade: null, score: null, findings: [] });
    expect(report.error).toMatch(/loopback/);
    expect(toObservatoryJson(report)).toMatchObject({ grade: null, tests: {} });
  });
});
