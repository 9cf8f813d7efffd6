import { createHash } from 'node:crypto';
import type { Finding, ScanGrade, ScanReport } from '@bastion/contract';
import { extraChecks, scoreExtra } from './extra/index.js';
import {
  ALGORITHM_VERSION,
  loadHstsPreload,
  observatoryChecks,
  scoreObservatory,
} from './observatory/index.js';
import { retrieveSite, type RetrieveOptions } from './retriever.js';
import type {
  CertificateInfo,
  Chain,
  CheckContext,
  HeaderMap,
  Probe,
  RetrievedSite,
  TlsVersion,
} from './types.js';

// One scan: retrieve the site, run every check on what was retrieved, score both parts. The
// report is what users read; the raw output is what was seen on the wire, kept for audit and
// download, with the bodies of probes that may expose the site's secrets reduced to a size and
// a hash.

export interface ScanOptions extends RetrieveOptions {
  /** "Now" for expiry checks; default the real time. */
  now?: Date;
  /** HSTS preload lookup; default the local snapshot. */
  isPreloaded?: (hostname: string) => boolean;
}

export interface RawBody {
  bytes: number;
  sha256: string;
  /** Present only where the body is public by nature (security.txt). */
  text?: string;
  truncated: boolean;
}

export interface RawHop {
  /** e.g. `GET /path HTTP/1.1` */
  request: string;
  url: string;
  address: string;
  status: number;
  headers: HeaderMap;
  durationMs: number;
  tls: {
    protocol: string;
    cipher: string;
    authorized: boolean;
    authorizationError: string | null;
    hostnameMatches: boolean;
    chain: CertificateInfo[];
  } | null;
}

export interface RawProbe {
  request: string;
  url: string;
  status: number;
  headers: HeaderMap;
  body: RawBody;
  error: string | null;
}

export interface RawOutput {
  url: string;
  startedAt: string;
  durationMs: number;
  sessions: Record<'http' | 'https', { hops: RawHop[]; error: string | null }>;
  final: { url: string; status: number } | null;
  html: { bytes: number; sha256: string | null; truncated: boolean };
  httpEquiv: HeaderMap;
  cookies: { url: string; header: string }[];
  corsPreflight: RawProbe | null;
  notFound: RawProbe | null;
  probes: Record<string, RawProbe>;
  tlsVersions: Record<TlsVersion, boolean> | null;
}

/** Probes whose bodies are public by design, kept verbatim in the raw output. */
const PUBLIC_BODIES = new Set(['/.well-known/security.txt', '/security.txt']);

function requestLine(method: string, url: string): string {
  const parsed = new URL(url);
  return `${method} ${parsed.pathname}${parsed.search} HTTP/1.1 (Host: ${parsed.host})`;
}

function rawChain(chain: Chain): RawOutput['sessions']['http'] {
  return {
    error: chain.error,
    hops: chain.hops.map((hop) => ({
      request: requestLine('GET', hop.url),
      url: hop.url,
      address: hop.address,
      status: hop.status,
      headers: hop.headers,
      durationMs: hop.durationMs,
      tls: hop.tls,
    })),
  };
}

function rawProbe(probe: Probe, method: string, keepBody: boolean): RawProbe {
  const body: RawBody = {
    bytes: Buffer.byteLength(probe.body),
    sha256: createHash('sha256').update(probe.body).digest('hex'),
    truncated: probe.truncated,
  };
  if (keepBody) body.text = probe.body;
  return {
    request: requestLine(method, probe.url),
    url: probe.url,
    status: probe.status,
    headers: probe.headers,
    body,
    error: probe.error,
  };
}

export function rawOutputOf(site: RetrievedSite): RawOutput {
  return {
    url: site.url,
    startedAt: site.startedAt,
    durationMs: site.durationMs,
    sessions: { http: rawChain(site.http), https: rawChain(site.https) },
    final: site.final ? { url: site.final.url, status: site.final.status } : null,
    html: { bytes: site.htmlBytes, sha256: site.htmlSha256, truncated: site.htmlTruncated },
    httpEquiv: site.httpEquiv,
    cookies: site.cookies,
    corsPreflight: site.corsPreflight ? rawProbe(site.corsPreflight, 'OPTIONS', false) : null,
    notFound: site.notFound ? rawProbe(site.notFound, 'GET', false) : null,
    probes: Object.fromEntries(
      Object.entries(site.probes).map(([path, probe]) => [
        path,
        rawProbe(probe, 'GET', PUBLIC_BODIES.has(path)),
      ]),
    ),
    tlsVersions: site.tlsVersions,
  };
}

let preload: ((hostname: string) => boolean) | undefined;

/** Findings and scores of a retrieved site (no network). */
export function assess(
  site: RetrievedSite,
  options: Pick<ScanOptions, 'now' | 'isPreloaded'> = {},
): ScanReport {
  const base = { url: site.url, algorithmVersion: ALGORITHM_VERSION, startedAt: site.startedAt };
  if (!site.final) {
    return {
      ...base,
      grade: null,
      score: null,
      extra: { grade: null, score: null },
      findings: [],
      error: site.https.error ?? site.http.error ?? 'the site did not answer',
      durationMs: site.durationMs,
    };
  }
  const context: CheckContext = {
    now: options.now ?? new Date(),
    isPreloaded: options.isPreloaded ?? (preload ??= loadHstsPreload()),
  };
  const findings: Finding[] = [
    ...observatoryChecks.flatMap((check) => check(site, context)),
    ...extraChecks.flatMap((check) => check(site, context)),
  ];
  const observatory = scoreObservatory(findings);
  const extra = scoreExtra(findings.filter((finding) => finding.source === 'extra'));
  return {
    ...base,
    grade: observatory.grade,
    score: observatory.score,
    extra,
    findings,
    error: null,
    durationMs: site.durationMs,
  };
}

/** Retrieves and assesses one URL: the report and the raw output to store with it. */
export async function scanUrl(
  url: string,
  options: ScanOptions,
): Promise<{ report: ScanReport; raw: RawOutput; site: RetrievedSite }> {
  const started = performance.now();
  const site = await retrieveSite(url, options);
  const report = assess(site, options);
  report.durationMs = Math.round(performance.now() - started);
  return { report, raw: rawOutputOf(site), site };
}

export interface ObservatoryJson {
  url: string;
  algorithmVersion: number;
  grade: ScanGrade | null;
  score: number | null;
  error: string | null;
  tests: Record<string, { pass: boolean | null; result: string; scoreModifier: number }>;
  extra: {
    grade: ScanGrade | null;
    score: number | null;
    tests: Record<
      string,
      { pass: boolean | null; result: string; severity: string; scoreModifier: number }[]
    >;
  };
}

/**
 * The CLI's `--json`: Observatory's shape (`tests` keyed by test name, with pass, result and
 * scoreModifier) so tooling written for it reads ours; the extra checks beside it, a list per
 * check id since one check can report several findings.
 */
export function toObservatoryJson(report: ScanReport): ObservatoryJson {
  const tests: ObservatoryJson['tests'] = {};
  const extraTests: ObservatoryJson['extra']['tests'] = {};
  for (const finding of report.findings) {
    if (finding.source === 'observatory') {
      tests[finding.test] = {
        pass: finding.pass,
        result: finding.result,
        scoreModifier: finding.scoreModifier,
      };
    } else {
      (extraTests[finding.test] ??= []).push({
        pass: finding.pass,
        result: finding.result,
        severity: finding.severity,
        scoreModifier: finding.scoreModifier,
      });
    }
  }
  return {
    url: report.url,
    algorithmVersion: report.algorithmVersion,
    grade: report.grade,
    score: report.score,
    error: report.error,
    tests,
    extra: { grade: report.extra.grade, score: report.extra.score, tests: extraTests },
  };
}
