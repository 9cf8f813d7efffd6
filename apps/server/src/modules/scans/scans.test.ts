import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.js';
import { createApiToken, createUser, loginAs, type TestUser } from '../../../test/auth.js';
import { startTestWorker } from '../../../test/worker.js';
import type { JobsRuntime } from '../jobs/runtime.js';
import { startTestDnsServer, type TestDnsServer } from './test-dns.js';

// The scans module end to end: real PostgreSQL, a real worker running scans.run against real
// local HTTP servers, a real (tiny) DNS server for the TXT verification.

const GOOD_HEADERS = {
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** A site whose verification file, home page meta tag and headers the test controls. */
interface Site {
  server: Server;
  url: string;
  port: number;
  fileTokens: string[];
  metaToken: string | null;
  good: boolean;
}

async function startSite(port = 0): Promise<Site> {
  const site = { fileTokens: [], metaToken: null, good: true } as unknown as Site;
  site.server = createServer((request, response) => {
    if (request.url === '/.well-known/bastion-verification.txt') {
      if (site.fileTokens.length === 0) return response.writeHead(404).end('not found');
      return response
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(site.fileTokens.join('\n'));
    }
    const headers = { 'content-type': 'text/html', ...(site.good ? GOOD_HEADERS : {}) };
    if (request.url !== '/') return response.writeHead(404, headers).end('<p>not found</p>');
    const meta = site.metaToken
      ? `<meta content="${site.metaToken}" name="bastion-verification">`
      : '';
    response
      .writeHead(200, headers)
      .end(`<!doctype html><html><head>${meta}</head><body>hi</body></html>`);
  });
  await new Promise<void>((resolve) => site.server.listen(port, '127.0.0.1', resolve));
  site.port = (site.server.address() as AddressInfo).port;
  site.url = `http://127.0.0.1:${site.port}/`;
  return site;
}

let t: TestApp;
let dns: TestDnsServer;
let worker: JobsRuntime;
let site: Site;
let owner: TestUser;
let ownerHeaders: Record<string, string>;
let staffHeaders: Record<string, string>;

beforeAll(async () => {
  dns = await startTestDnsServer();
  t = await createTestApp({
    env: {
      SCAN_ALLOW_CIDRS: '127.0.0.0/8',
      SCAN_ALLOWED_PORTS: '*',
      SCAN_MANUAL_QUOTA: '3',
      SCAN_DNS_SERVERS: `127.0.0.1:${dns.port}`,
      SCAN_DEADLINE_S: '20',
    },
  });
  worker = await startTestWorker(t, 'scans:2,mail:2,default:2');
  site = await startSite();
  owner = await createUser(t);
  ownerHeaders = await loginAs(t, owner);
  staffHeaders = await loginAs(t, await createUser(t, { role: 'staff' }));
}, 60_000);

afterAll(async () => {
  await worker?.stop(1000);
  await t?.close();
  await dns?.close();
  site?.server.close();
});

type Json = Record<string, unknown> & { id: string };

async function createTarget(headers: Record<string, string>, body: Record<string, unknown>) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/scans/targets',
    headers,
    payload: { name: 'Site', ...body },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<Json & { verificationToken: string }>();
}

async function scanNow(headers: Record<string, string>, targetId: string, force = false) {
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/scans/targets/${targetId}/scans`,
    headers,
    payload: { force },
  });
}

async function waitForScan(scanId: string, states = ['finished', 'failed', 'aborted']) {
  let scan: Json & { state: string } = { id: scanId, state: 'pending' };
  await expect
    .poll(
      async () => {
        scan = (
          await t.app.inject({ url: `/api/v1/scans/scans/${scanId}`, headers: staffHeaders })
        ).json();
        return states.includes(scan.state);
      },
      { timeout: 30_000, interval: 100 },
    )
    .toBe(true);
  return scan;
}

async function markVerified(targetId: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/scans/targets/${targetId}/verify`,
    headers: staffHeaders,
    payload: { method: 'staff' },
  });
  expect(response.statusCode).toBe(200);
}

describe('targets', () => {
  it('lets a user manage their own targets, hides them from other users (404) and shows staff all', async () => {
    const target = await createTarget(ownerHeaders, { url: site.url, tags: ['prod', 'prod'] });
    expect(target).toMatchObject({
      ownerId: owner.id,
      verified: false,
      tags: ['prod'],
      lastScan: null,
    });
    const other = await loginAs(t, await createUser(t));
    const path = `/api/v1/scans/targets/${target.id}`;
    expect((await t.app.inject({ url: path, headers: other })).statusCode).toBe(404);
    const patchOther = await t.app.inject({
      method: 'PATCH',
      url: path,
      headers: other,
      payload: { name: 'x' },
    });
    expect(patchOther.statusCode).toBe(404);
    const theirs = (await t.app.inject({ url: '/api/v1/scans/targets', headers: other })).json();
    expect(theirs.total).toBe(0);
    const staffList = (
      await t.app.inject({ url: '/api/v1/scans/targets?tag=prod', headers: staffHeaders })
    ).json();
    expect(staffList.items.map((item: Json) => item.id)).toContain(target.id);
    expect((await t.app.inject({ url: path, headers: staffHeaders })).statusCode).toBe(200);

    const renamed = await t.app.inject({
      method: 'PATCH',
      url: path,
      headers: ownerHeaders,
      payload: { name: 'Renamed', schedule: 'weekly', timezone: 'Europe/Paris' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Renamed', schedule: 'weekly', nextScanAt: null });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: path,
      headers: ownerHeaders,
      payload: { timezone: 'Mars/Olympus', url: 'ftp://example.com/' },
    });
    expect(bad.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'DELETE', url: path, headers: other })).statusCode).toBe(
      404,
    );
    expect(
      (await t.app.inject({ method: 'DELETE', url: path, headers: ownerHeaders })).statusCode,
    ).toBe(204);
    expect((await t.app.inject({ url: path, headers: ownerHeaders })).statusCode).toBe(404);
  });

  it('needs scans:read to read and scans:run to change, with a token', async () => {
    const reader = await createApiToken(t, owner, ['scans:read']);
    expect(
      (await t.app.inject({ url: '/api/v1/scans/targets', headers: { authorization: reader } }))
        .statusCode,
    ).toBe(200);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/scans/targets',
      headers: { authorization: reader },
      payload: { name: 'x', url: site.url },
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('verification', () => {
  it('accepts the token in the well-known file', async () => {
    const target = await createTarget(ownerHeaders, { url: site.url });
    const verify = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/scans/targets/${target.id}/verify`,
        headers: ownerHeaders,
        payload: { method: 'file' },
      });
    expect((await verify()).json()).toMatchObject({ verified: false });
    site.fileTokens.push('someone-else', target.verificationToken);
    const result = (await verify()).json();
    expect(result).toMatchObject({ verified: true, target: { verificationMethod: 'file' } });
  });

  it('accepts the meta tag on the page', async () => {
    const target = await createTarget(ownerHeaders, { url: site.url });
    site.metaToken = target.verificationToken;
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/scans/targets/${target.id}/verify`,
      headers: ownerHeaders,
      payload: {},
    });
    site.metaToken = null;
    expect(response.json()).toMatchObject({
      verified: true,
      target: { verificationMethod: 'meta' },
    });
  });

  it('accepts a DNS TXT record (asked of a local DNS server)', async () => {
    const target = await createTarget(ownerHeaders, { url: 'https://owned.example.test/app' });
    const verify = () =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/scans/targets/${target.id}/verify`,
        headers: ownerHeaders,
        payload: { method: 'dns' },
      });
    expect((await verify()).json()).toMatchObject({ verified: false });
    dns.txt.set('owned.example.test', [
      'v=spf1 -all',
      `bastion-verification=${target.verificationToken}`,
    ]);
    expect((await verify()).json()).toMatchObject({
      verified: true,
      target: { verificationMethod: 'dns', verified: true },
    });
  });

  it('lets staff, and only staff, mark a target verified', async () => {
    const target = await createTarget(ownerHeaders, { url: site.url, schedule: 'daily' });
    const asOwner = await t.app.inject({
      method: 'POST',
      url: `/api/v1/scans/targets/${target.id}/verify`,
      headers: ownerHeaders,
      payload: { method: 'staff' },
    });
    expect(asOwner.statusCode).toBe(403);
    await markVerified(target.id);
    const after = (
      await t.app.inject({ url: `/api/v1/scans/targets/${target.id}`, headers: ownerHeaders })
    ).json();
    expect(after).toMatchObject({ verified: true, verificationMethod: 'staff' });
    // Verified with a schedule: the next run is set.
    expect(after.nextScanAt).not.toBeNull();
  });
});

describe('scan now', () => {
  it('queues a scan that a worker runs to a graded report, then caches it and cools down', async () => {
    const target = await createTarget(ownerHeaders, { url: site.url });
    const queued = await scanNow(ownerHeaders, target.id);
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({ state: 'pending', trigger: 'manual' });
    const scan = await waitForScan(queued.json().id);
    expect(scan).toMatchObject({ state: 'finished', progress: 100 });
    expect(scan.grade).not.toBeNull();
    const report = scan.report as { findings: unknown[]; url: string };
    expect(report.findings.length).toBeGreaterThan(10);

    const raw = await t.app.inject({
      url: `/api/v1/scans/scans/${scan.id}/raw`,
      headers: ownerHeaders,
    });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="scan-${scan.id}.json"`);
    expect(JSON.stringify(raw.json())).toContain('x-content-type-options');

    // Within 24 h the same scan is the answer…
    const cached = await scanNow(ownerHeaders, target.id);
    expect(cached.statusCode).toBe(200);
    expect(cached.json().id).toBe(scan.id);
    // …and forcing within 60 s is refused with the wait.
    const forced = await scanNow(ownerHeaders, target.id, true);
    expect(forced.statusCode).toBe(429);
    const wait = Number(forced.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);

    const history = (
      await t.app.inject({
        url: `/api/v1/scans/targets/${target.id}/history`,
        headers: ownerHeaders,
      })
    ).json();
    expect(history.items).toEqual([
      expect.objectContaining({ scanId: scan.id, grade: scan.grade }),
    ]);
    const list = (
      await t.app.inject({ url: `/api/v1/scans/targets/${target.id}/scans`, headers: ownerHeaders })
    ).json();
    expect(list.total).toBe(1);
    const other = await loginAs(t, await createUser(t));
    expect(
      (await t.app.inject({ url: `/api/v1/scans/scans/${scan.id}`, headers: other })).statusCode,
    ).toBe(404);
  }, 60_000);

  it('limits manual scans of unverified targets per user per day, not of verified ones', async () => {
    const user = await createUser(t);
    const headers = await loginAs(t, user);
    for (let n = 0; n < 3; n++) {
      const target = await createTarget(headers, { url: `${site.url}quota-${n}` });
      expect((await scanNow(headers, target.id)).statusCode).toBe(202);
    }
    const fourth = await createTarget(headers, { url: `${site.url}quota-4` });
    const refused = await scanNow(headers, fourth.id);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('verification_required');
    await markVerified(fourth.id);
    expect((await scanNow(headers, fourth.id)).statusCode).toBe(202);
  }, 60_000);

  it('retries a scan whose site refused the connection, until it answers', async () => {
    // A port with nothing listening on it yet.
    const probe = await startSite();
    const port = probe.port;
    await new Promise((resolve) => probe.server.close(resolve));
    const target = await createTarget(ownerHeaders, { url: `http://127.0.0.1:${port}/` });
    const queued = (await scanNow(ownerHeaders, target.id)).json();
    // The first attempt fails with ECONNREFUSED and goes back to pending for a retry.
    await expect
      .poll(
        async () =>
          (
            await t.app.inject({ url: `/api/v1/scans/scans/${queued.id}`, headers: ownerHeaders })
          ).json().stage as string,
        { timeout: 20_000, interval: 50 },
      )
      .toMatch(/^Retrying after: .*ECONNREFUSED/);
    const late = await startSite(port);
    try {
      const scan = await waitForScan(queued.id);
      expect(scan.state).toBe('finished');
      expect(scan.grade).not.toBeNull();
    } finally {
      late.server.close();
    }
  }, 60_000);
});

describe('schedules and alerts', () => {
  async function runScheduler() {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/jobs/schedules/scans-schedule/run',
      headers: await loginAs(t, await createUser(t, { role: 'admin' })),
    });
    expect(response.statusCode).toBe(202);
  }
  async function makeDue(targetId: string) {
    await t.database.pool.query(
      `update scan_targets set next_scan_at = now() - interval '1 minute' where id = $1`,
      [targetId],
    );
  }
  async function latestScheduled(targetId: string, count: number) {
    await expect
      .poll(
        async () =>
          (
            await t.database.pool.query(
              `select count(*)::int as n from scans where target_id = $1 and trigger = 'schedule' and state = 'finished'`,
              [targetId],
            )
          ).rows[0].n,
        { timeout: 30_000, interval: 100 },
      )
      .toBe(count);
  }
  const mailsTo = async (to: string) =>
    (
      await t.database.pool.query<{ subject: string }>(
        'select subject from mail_outbox where "to" = $1 order by created_at',
        [to],
      )
    ).rows;

  it('scans a due verified target from the scheduler, and mails a grade drop once', async () => {
    const alertSite = await startSite();
    try {
      const user = await createUser(t);
      const headers = await loginAs(t, user);
      const target = await createTarget(headers, { url: alertSite.url, schedule: 'daily' });
      await markVerified(target.id);
      // An unverified scheduled target is never scanned.
      const unverified = await createTarget(headers, { url: alertSite.url, schedule: 'daily' });
      await makeDue(target.id);
      await makeDue(unverified.id);

      await runScheduler();
      await latestScheduled(target.id, 1);
      expect(await mailsTo(user.email)).toEqual([]);

      alertSite.good = false; // the security headers go away: the grade drops
      await makeDue(target.id);
      await runScheduler();
      await latestScheduled(target.id, 2);
      await expect
        .poll(async () => (await mailsTo(user.email)).length, { timeout: 10_000 })
        .toBe(1);
      expect((await mailsTo(user.email))[0]!.subject).toMatch(/grade dropped to/);

      // The same drop again: no second mail.
      await makeDue(target.id);
      await runScheduler();
      await latestScheduled(target.id, 3);
      expect(await mailsTo(user.email)).toHaveLength(1);

      const never = await t.database.pool.query(
        'select count(*)::int as n from scans where target_id = $1',
        [unverified.id],
      );
      expect(never.rows[0].n).toBe(0);
      const next = (
        await t.app.inject({ url: `/api/v1/scans/targets/${target.id}`, headers })
      ).json();
      expect(Date.parse(next.nextScanAt)).toBeGreaterThan(Date.now());
    } finally {
      alertSite.server.close();
    }
  }, 90_000);
});
