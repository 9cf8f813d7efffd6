import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.js';
import {
  addressRefusal,
  EgressError,
  egressRequest,
  parseCidrs,
  parsePorts,
  type EgressPolicy,
  type Resolver,
} from './index.js';

// Real servers on loopback addresses stand for "a host inside the network"; each test says
// whether it may be reached, then checks both the answer and what the servers actually saw.

interface Listening {
  server: http.Server;
  port: number;
  requests: string[];
}

async function listen(host: string, handler: http.RequestListener): Promise<Listening> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    requests.push(`${request.method} ${request.headers.host} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, requests };
}

const ok: http.RequestListener = (_request, response) => response.end('hello');

const anyPort = (allowCidrs: string[] = []): EgressPolicy => ({
  allowCidrs: parseCidrs(allowCidrs),
  allowedPorts: 'any',
});

async function refusal(promise: Promise<unknown>): Promise<EgressError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EgressError);
  return error as EgressError;
}

let loopback: Listening;
let other: Listening;
const open: http.ServerResponse[] = [];

beforeAll(async () => {
  loopback = await listen('127.0.0.1', ok);
  other = await listen('127.0.0.2', ok);
});

afterAll(async () => {
  for (const response of open) response.destroy();
  for (const { server } of [loopback, other]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('address policy', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00::1', 'uniqueLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['198.18.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['2001:db8::1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:10.0.0.1', 'private'],
    ['::127.0.0.1', 'loopback'],
  ])('refuses %s (%s)', (address, range) => {
    expect(addressRefusal(address, anyPort())).toMatch(new RegExp(`\\(${range}\\)$`));
  });

  it.each(['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254'])(
    'refuses the cloud metadata address %s even inside an allowed range',
    (address) => {
      const policy = anyPort(['169.254.0.0/16', 'fd00::/8']);
      expect(addressRefusal(address, policy)).toMatch(/cloud metadata/);
    },
  );

  it('allows public unicast addresses, and private ones only when configured', () => {
    expect(addressRefusal('93.184.215.14', anyPort())).toBeNull();
    expect(addressRefusal('2606:4700::1111', anyPort())).toBeNull();
    expect(addressRefusal('::ffff:8.8.8.8', anyPort())).toBeNull();
    expect(addressRefusal('10.1.2.3', anyPort(['10.0.0.0/8']))).toBeNull();
    expect(addressRefusal('10.1.2.3', anyPort(['10.0.0.0/16']))).toMatch(/private/);
    expect(addressRefusal('::ffff:10.1.2.3', anyPort(['10.0.0.0/8']))).toBeNull();
    expect(addressRefusal('127.0.0.1', anyPort(['127.0.0.1']))).toBeNull();
  });

  it('parses ports and ranges, refusing nonsense', () => {
    expect(parsePorts('80, 443,8000-8999')).toEqual([
      { from: 80, to: 80 },
      { from: 443, to: 443 },
      { from: 8000, to: 8999 },
    ]);
    expect(parsePorts('*')).toBe('any');
    expect(() => parsePorts('80,http')).toThrow(/"http"/);
    expect(() => parsePorts('9000-8000')).toThrow(/"9000-8000"/);
    expect(() => parseCidrs(['10.0.0.0/33'])).toThrow(/"10.0.0.0\/33"/);
  });

  it('reads SCAN_ALLOW_CIDRS and SCAN_ALLOWED_PORTS from the environment, validated at startup', () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      SCAN_ALLOW_CIDRS: '127.0.0.0/8, ::1',
      SCAN_ALLOWED_PORTS: '443',
    });
    expect(addressRefusal('127.0.0.5', config.scanEgress)).toBeNull();
    expect(addressRefusal('::1', config.scanEgress)).toBeNull();
    expect(config.scanEgress.allowedPorts).toEqual([{ from: 443, to: 443 }]);
    const defaults = loadConfig({ NODE_ENV: 'test' });
    expect(addressRefusal('127.0.0.1', defaults.scanEgress)).toMatch(/loopback/);
    expect(defaults.scanEgress.allowedPorts).toEqual(parsePorts('80,443,8000-8999'));

    let problems: string[] = [];
    try {
      loadConfig({ NODE_ENV: 'test', SCAN_ALLOW_CIDRS: 'intranet', SCAN_ALLOWED_PORTS: 'all' });
    } catch (error) {
      if (error instanceof ConfigError) problems = error.problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^SCAN_ALLOW_CIDRS: "intranet"/),
      expect.stringMatching(/^SCAN_ALLOWED_PORTS: "all"/),
    ]);
  });
});

describe('egressRequest', () => {
  it.each([
    ['127.0.0.1', () => `http://127.0.0.1:${loopback.port}/`],
    ['::1', () => `http://[::1]:${loopback.port}/`],
    ['::ffff:127.0.0.1', () => `http://[::ffff:127.0.0.1]:${loopback.port}/`],
    ['10/8', () => 'http://10.0.0.1/'],
    ['169.254.169.254', () => 'http://169.254.169.254/latest/meta-data/'],
    ['fd00::/8', () => 'http://[fd00::1]/'],
  ])('refuses %s without connecting', async (_name, url) => {
    const error = await refusal(egressRequest(url(), { policy: anyPort() }));
    expect(error.code).toBe('refused-address');
    expect(loopback.requests).toEqual([]);
  });

  it('refuses a name that resolves to a private address (the OS resolver, /etc/hosts included)', async () => {
    const error = await refusal(
      egressRequest(`http://localhost:${loopback.port}/`, { policy: anyPort() }),
    );
    expect(error.code).toBe('refused-address');
    expect(error.message).toMatch(/^localhost resolves to .*\(loopback\)$/);
    const injected: Resolver = async () => [{ address: '10.9.8.7', family: 4 }];
    const viaDns = await refusal(
      egressRequest('http://intranet.example/', { policy: anyPort(), resolver: injected }),
    );
    expect(viaDns.message).toMatch(/intranet.example resolves to 10.9.8.7/);
    expect(loopback.requests).toEqual([]);
  });

  it('refuses a name when any of its addresses is private, even if the first is allowed', async () => {
    const resolver: Resolver = async () => [
      { address: '127.0.0.2', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ];
    const error = await refusal(
      egressRequest(`http://mixed.example:${other.port}/`, {
        policy: anyPort(['127.0.0.2']),
        resolver,
      }),
    );
    expect(error.message).toMatch(/127\.0\.0\.1/);
    expect(other.requests).toEqual([]);
  });

  it('connects to the checked address even when DNS answers differently afterwards (rebinding)', async () => {
    // The resolver answers an allowed address first and loopback from then on: a client that
    // looked the name up again when connecting would reach the loopback server.
    let calls = 0;
    const rebinding: Resolver = async () =>
      calls++ === 0 ? [{ address: '127.0.0.2', family: 4 }] : [{ address: '127.0.0.1', family: 4 }];
    const port = other.port;
    // A loopback server on the same port number, where a second lookup would land.
    const sameport = await new Promise<http.Server | null>((resolve) => {
      const server = http.createServer((request, response) => {
        loopback.requests.push(`twin ${request.url}`);
        response.end('wrong host');
      });
      server.once('error', () => resolve(null));
      server.listen(port, '127.0.0.1', () => resolve(server));
    });
    try {
      const response = await egressRequest(`http://rebind.example:${port}/path`, {
        policy: anyPort(['127.0.0.2']),
        resolver: rebinding,
      });
      expect(calls).toBe(1);
      expect(response.address).toBe('127.0.0.2');
      expect(response.body.toString()).toBe('hello');
      expect(other.requests.at(-1)).toBe(`GET rebind.example:${port} /path`);
      expect(loopback.requests).toEqual([]);
      expect(sameport, 'the twin server on 127.0.0.1 could not listen').not.toBeNull();
    } finally {
      sameport?.closeAllConnections();
      sameport?.close();
    }
  });

  it.each(['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/', 'data:,x'])(
    'refuses the non-http URL %s',
    async (url) => {
      const error = await refusal(egressRequest(url, { policy: anyPort() }));
      expect(error.code).toBe('refused-scheme');
    },
  );

  it('refuses ports outside the allow-list', async () => {
    const policy: EgressPolicy = { allowCidrs: parseCidrs(['127.0.0.0/8']), allowedPorts: [] };
    const before = other.requests.length;
    const error = await refusal(egressRequest(`http://127.0.0.2:${other.port}/`, { policy }));
    expect(error.code).toBe('refused-port');
    expect(other.requests).toHaveLength(before);
  });

  it('fetches an address inside SCAN_ALLOW_CIDRS, keeping the name in the Host header', async () => {
    const resolver: Resolver = async () => [{ address: '127.0.0.2', family: 4 }];
    const response = await egressRequest(`http://site.test:${other.port}/a?b=1`, {
      policy: anyPort(['127.0.0.0/8']),
      resolver,
    });
    expect(response).toMatchObject({ status: 200, address: '127.0.0.2', truncated: false });
    expect(response.body.toString()).toBe('hello');
    expect(other.requests.at(-1)).toBe(`GET site.test:${other.port} /a?b=1`);
  });

  describe('limits', () => {
    let limits: Listening;
    beforeAll(async () => {
      limits = await listen('127.0.0.3', (request, response) => {
        if (request.url === '/big') {
          response.end(Buffer.alloc(200_000, 'x'));
        } else if (request.url === '/endless') {
          open.push(response);
          const chunk = Buffer.alloc(16_384, 'y');
          const write = () => {
            while (response.write(chunk));
            response.once('drain', write);
          };
          write();
        } else if (request.url === '/redirect') {
          response.writeHead(302, { location: `http://127.0.0.1:${loopback.port}/` }).end();
        } else {
          open.push(response); // never answers
        }
      });
    });
    afterAll(async () => {
      limits.server.closeAllConnections();
      await new Promise((resolve) => limits.server.close(resolve));
    });
    const policy = () => anyPort(['127.0.0.3']);
    const url = (path: string) => `http://127.0.0.3:${limits.port}${path}`;

    it('fails an oversized response, or keeps the first bytes when asked to truncate', async () => {
      const error = await refusal(egressRequest(url('/big'), { policy: policy(), maxBytes: 1000 }));
      expect(error.code).toBe('too-large');
      const kept = await egressRequest(url('/big'), {
        policy: policy(),
        maxBytes: 1000,
        oversize: 'truncate',
      });
      expect(kept.truncated).toBe(true);
      expect(kept.body.length).toBe(1000);
    });

    it('stops reading an endless response at the cap', async () => {
      const error = await refusal(
        egressRequest(url('/endless'), { policy: policy(), maxBytes: 100_000 }),
      );
      expect(error.code).toBe('too-large');
      const kept = await egressRequest(url('/endless'), {
        policy: policy(),
        maxBytes: 100_000,
        oversize: 'truncate',
      });
      expect(kept.body.length).toBe(100_000);
    });

    it('times out a response that never comes, and honours the overall deadline', async () => {
      const slow = await refusal(egressRequest(url('/slow'), { policy: policy(), timeoutMs: 150 }));
      expect(slow.code).toBe('timeout');
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const aborted = await refusal(
        egressRequest(url('/slow'), { policy: policy(), signal: controller.signal }),
      );
      expect(aborted.code).toBe('aborted');
    });

    it('returns a redirect without following it (the caller re-checks the next hop)', async () => {
      const response = await egressRequest(url('/redirect'), { policy: policy() });
      expect(response.status).toBe(302);
      expect(loopback.requests).toEqual([]);
    });
  });
});
