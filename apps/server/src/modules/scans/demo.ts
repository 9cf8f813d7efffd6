import type { Database } from '../../db/client.js';
import type { DemoRandom } from '../../demo/random.js';
import { assess, rawOutputOf } from './engine/scan.js';
import type { CertificateInfo, HeaderMap, Hop, RetrievedSite } from './engine/types.js';
import { nextScanAt } from './next-run.js';
import { scans, scanTargets } from './schema.js';
import { newVerificationToken, recordLatestScan } from './targets.js';

// Demo targets on the reserved .example domain with a month of daily scans. The reports are not
// made up: each day's site (headers that come and go, a certificate ageing towards expiry) is a
// hand-built RetrievedSite run through the real checks and scores (`assess`), so the grades,
// findings and charts are what the scanner would have said of such a site.

const DAY_MS = 86_400_000;
const DAYS = 30;

interface DemoSite {
  name: string;
  host: string;
  tags: string[];
  schedule: 'daily' | 'weekly';
  /** Security headers the site sends on day `day` (0 = a month ago). */
  headers(day: number, random: DemoRandom): Record<string, string>;
}

const STRONG = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; object-src 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

const SITES: DemoSite[] = [
  {
    name: 'Northwind shop',
    host: 'shop.northwind.example',
    tags: ['production', 'shop'],
    schedule: 'daily',
    // Solid, until a deploy on day 18 loses the CSP for four days.
    headers: (day) => {
      if (day >= 18 && day < 22) {
        const { ['content-security-policy']: _csp, ...rest } = STRONG;
        return { ...rest, 'x-frame-options': 'DENY' };
      }
      return STRONG;
    },
  },
  {
    name: 'Contoso intranet portal',
    host: 'portal.contoso.example',
    tags: ['internal'],
    schedule: 'daily',
    // Improving over the month: headers added one after the other.
    headers: (day) => ({
      ...(day >= 5 ? { 'x-content-type-options': 'nosniff' } : {}),
      ...(day >= 10 ? { 'x-frame-options': 'SAMEORIGIN' } : {}),
      ...(day >= 15 ? { 'strict-transport-security': 'max-age=15768000' } : {}),
      ...(day >= 22 ? { 'referrer-policy': 'no-referrer' } : {}),
      ...(day >= 26 ? { 'content-security-policy': "default-src 'self'" } : {}),
    }),
  },
  {
    name: 'Fabrikam blog',
    host: 'blog.fabrikam.example',
    tags: ['marketing'],
    schedule: 'weekly',
    // Flaky: a CDN in front adds or drops headers from one day to the next.
    headers: (_day, random) => ({
      'strict-transport-security': 'max-age=31536000',
      ...(random.chance(0.6) ? { 'x-content-type-options': 'nosniff' } : {}),
      ...(random.chance(0.5) ? { 'x-frame-options': 'DENY' } : {}),
      ...(random.chance(0.3)
        ? { 'content-security-policy': "default-src 'self' 'unsafe-inline'" }
        : {}),
    }),
  },
];

function headerMap(values: Record<string, string>): HeaderMap {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, [value]]));
}

function certificate(host: string, notAfter: Date): CertificateInfo {
  return {
    subject: `CN=${host}`,
    issuer: 'CN=Demo Issuing CA, O=Demo PKI',
    subjectAltNames: [`DNS:${host}`],
    validFrom: new Date(notAfter.getTime() - 90 * DAY_MS).toISOString(),
    validTo: notAfter.toISOString(),
    serialNumber: '0A1B2C3D',
    fingerprint256: 'DE:MO',
    keyType: 'ec',
    keyBits: 256,
    curve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    selfIssued: false,
    pem: '',
  };
}

function demoSite(
  host: string,
  headers: Record<string, string>,
  at: Date,
  notAfter: Date,
): RetrievedSite {
  const url = `https://${host}/`;
  const final: Hop = {
    url,
    address: '192.0.2.10',
    status: 200,
    headers: headerMap({ 'content-type': 'text/html; charset=utf-8', ...headers }),
    tls: {
      protocol: 'TLSv1.3',
      cipher: 'TLS_AES_128_GCM_SHA256',
      authorized: true,
      authorizationError: null,
      hostnameMatches: true,
      chain: [certificate(host, notAfter)],
    },
    durationMs: 40,
  };
  const redirect: Hop = {
    url: `http://${host}/`,
    address: '192.0.2.10',
    status: 301,
    headers: headerMap({ location: url }),
    tls: null,
    durationMs: 20,
  };
  const notFound = {
    url: `${url}bastion-404`,
    status: 404,
    headers: {},
    body: 'Not found',
    truncated: false,
    error: null,
  };
  return {
    url,
    hostname: host,
    http: { hops: [redirect, final], error: null },
    https: { hops: [final], error: null },
    final,
    html: '<!doctype html><html><head><title>Demo</title></head><body></body></html>',
    htmlBytes: 72,
    htmlTruncated: false,
    htmlSha256: null,
    httpEquiv: {},
    cookies: [],
    corsPreflight: null,
    notFound,
    probes: {},
    tlsVersions: { TLSv1: false, 'TLSv1.1': false, 'TLSv1.2': true, 'TLSv1.3': true },
    legacyTls: null,
    startedAt: at.toISOString(),
    durationMs: 400,
  };
}

/** A few verified targets of `owners`, each with a month of finished scheduled scans. */
export async function seedScansDemo(
  db: Database,
  random: DemoRandom,
  owners: string[],
  options: { now: number },
): Promise<Record<string, number>> {
  if (owners.length === 0) return { targets: 0, scans: 0 };
  let scanCount = 0;
  const now = new Date(options.now);
  for (const [index, demo] of SITES.entries()) {
    const verifiedAt = new Date(options.now - (DAYS + 1) * DAY_MS);
    const schedule = {
      schedule: demo.schedule,
      scheduleTime: '03:00',
      scheduleWeekday: 1,
      timezone: 'UTC',
    };
    const [target] = await db
      .insert(scanTargets)
      .values({
        url: `https://${demo.host}/`,
        name: demo.name,
        ownerId: owners[index % owners.length]!,
        tags: demo.tags,
        ...schedule,
        nextScanAt: nextScanAt(schedule, now),
        verificationToken: newVerificationToken(),
        verificationMethod: 'dns',
        verifiedAt,
        verificationCheckedAt: verifiedAt,
        createdAt: verifiedAt,
        updatedAt: verifiedAt,
      })
      .returning();
    // One certificate renewed mid-month, the other sites' valid well beyond it.
    const renewal = options.now + (index === 0 ? 20 : 60) * DAY_MS;
    const rows = [];
    for (let day = 0; day < DAYS; day += demo.schedule === 'weekly' ? 7 : 1) {
      const at = new Date(options.now - (DAYS - day) * DAY_MS + random.int(0, 20) * 60_000);
      const site = demoSite(demo.host, demo.headers(day, random), at, new Date(renewal));
      const report = assess(site, { now: at, isPreloaded: () => false });
      const finishedAt = new Date(at.getTime() + site.durationMs);
      rows.push({
        targetId: target!.id,
        url: target!.url,
        state: 'finished',
        trigger: 'schedule',
        progress: 100,
        stage: 'Finished',
        grade: report.grade,
        score: report.score,
        extraGrade: report.extra.grade,
        extraScore: report.extra.score,
        failed: report.findings.filter((finding) => finding.pass === false).length,
        report,
        raw: rawOutputOf(site),
        createdAt: at,
        startedAt: at,
        finishedAt,
      });
    }
    await db.insert(scans).values(rows);
    await recordLatestScan(db, target!.id);
    scanCount += rows.length;
  }
  return { targets: SITES.length, scans: scanCount };
}
