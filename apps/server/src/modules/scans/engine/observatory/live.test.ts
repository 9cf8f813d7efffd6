// The score table again, but served by real local HTTP and HTTPS servers (test CA, a
// self-signed certificate for the bad-cert row) and fetched by the real retriever: the checks
// must grade what comes over the wire exactly as they grade the fixtures. Rows whose redirect
// route names other hosts are left to `npm run scans:crosscheck`, which serves them on 80/443.
import type http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { retrieveSite } from '../retriever.js';
import {
  loopbackPolicy,
  makeTestPki,
  resolverFor,
  startTestServer,
  type TestServer,
} from '../test-support.js';
import { observatoryChecks, scoreObservatory } from './index.js';
import { SCORE_TABLE, type ScoreRow } from './score-table.js';
import { context, type SiteSpec } from './test-site.js';

const ADDRESS = '127.0.0.6';
const pkis = {
  'site.obs.test': makeTestPki('site.obs.test'),
  'preloaded.obs.test': makeTestPki('preloaded.obs.test'),
};
const resolver = resolverFor({ 'site.obs.test': ADDRESS, 'preloaded.obs.test': ADDRESS });
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

function finalAnswer(spec: SiteSpec): http.RequestListener {
  return (request, response) => {
    if (request.method === 'OPTIONS') {
      for (const [name, value] of Object.entries(spec.cors ?? {})) {
        response.setHeader(
          name,
          value === 'reflect' ? String(request.headers.origin ?? '') : value,
        );
      }
      response.writeHead(204).end();
      return;
    }
    if (request.url !== '/') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const headers: http.OutgoingHttpHeaders = { ...(spec.headers ?? {}) };
    const type = spec.contentType === undefined ? 'text/html; charset=utf-8' : spec.contentType;
    if (type !== null) headers['content-type'] = type;
    if (spec.cookies?.length) headers['set-cookie'] = spec.cookies;
    response
      .writeHead(200, headers)
      .end(
        spec.html ?? '<!doctype html><html><head><title>Fixture</title></head><body></body></html>',
      );
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = await startTestServer({ host: ADDRESS });
  await server.close();
  return server.port;
}

async function serve(spec: SiteSpec) {
  const host = (spec.host ?? 'site.obs.test') as keyof typeof pkis;
  const pki = pkis[host];
  const mode = spec.https ?? 'ok';
  let httpsPort: number;
  if (mode === 'none') httpsPort = await closedPort();
  else {
    const secure = await startTestServer({
      host: ADDRESS,
      tls: mode === 'bad-cert' ? pki.selfSigned : pki.leaf,
      routes: { '*': finalAnswer(spec) },
    });
    servers.push(secure);
    httpsPort = secure.port;
  }
  const plainMode = spec.http ?? 'redirect';
  let httpPort: number;
  if (plainMode === 'none') httpPort = await closedPort();
  else {
    const plain = await startTestServer({
      host: ADDRESS,
      routes: {
        '*':
          plainMode === 'stay'
            ? finalAnswer(spec)
            : (request, response) =>
                response
                  .writeHead(301, { location: `https://${host}:${httpsPort}${request.url}` })
                  .end(),
      },
    });
    servers.push(plain);
    httpPort = plain.port;
  }
  return retrieveSite(`https://${host}:${httpsPort}/`, {
    policy: loopbackPolicy(),
    resolver,
    ca: pki.ca,
    ports: { http: httpPort, https: httpsPort },
  });
}

const LIVE_ROWS = SCORE_TABLE.filter((row: ScoreRow) => !Array.isArray(row.spec.http));

describe('score table over real HTTP/HTTPS (retriever + checks)', () => {
  it('serves most of the table', () => {
    expect(LIVE_ROWS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(LIVE_ROWS.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const site = await serve(row.spec);
    const findings = observatoryChecks.flatMap((check) => check(site, context));
    const results = Object.fromEntries(findings.map((f) => [f.test, f.result]));
    expect(results).toMatchObject(row.results ?? {});
    expect(scoreObservatory(findings)).toEqual({ score: row.score, grade: row.grade });
  });
});
