import { isIPv6 } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { hmac } from './crypto.js';

// Password-guessing protection in two tiers, with growing delays instead of a hard lock (so a
// stranger cannot lock the owner out), counted by the address typed, whether or not it is an
// account (so the throttle tells nothing about which addresses exist):
//
// - per account and client network: tight. A few free tries, then each further try must wait
//   twice as long as the one before. One guesser on one network is stopped early, and only there:
//   the owner elsewhere signs in as usual.
// - per account, all networks together: loose. Many more free tries, then the same doubling for
//   every client. This stops guessing spread over many addresses; since it slows the owner too,
//   the owner is mailed a single-use link that lets one sign-in through (queued-mails.ts).
//
// An attempt is counted before the password is checked (atomically with the check of the delay),
// so parallel requests cannot slip extra guesses in; a correct password takes its count back.

export interface ThrottleTier {
  /** Attempts counted without any delay. */
  free: number;
  /** The wait after the first attempt past `free`; it doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A record with no attempt for this long is forgotten. */
  forgetAfterMs: number;
}

export const ACCOUNT_AND_NETWORK: ThrottleTier = {
  free: 5,
  baseDelayMs: 30_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

export const ACCOUNT: ThrottleTier = {
  free: 20,
  baseDelayMs: 15_000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 60 * 60_000,
};

const TIERS = [ACCOUNT_AND_NETWORK, ACCOUNT] as const;
export type TierName = 'account_and_network' | 'account';
const TIER_NAMES: TierName[] = ['account_and_network', 'account'];

/** How long an attempt must wait after `count` counted attempts (0: it may go now). */
export function delayAfter(tier: ThrottleTier, count: number): number {
  if (count < tier.free) return 0;
  return Math.min(tier.baseDelayMs * 2 ** (count - tier.free), tier.maxDelayMs);
}

/** The network a client is counted by: its IPv4 address, or its IPv6 /64 (one host's range). */
export function clientNetwork(ip: string | null): string {
  if (!ip) return 'unknown';
  if (!isIPv6(ip)) return ip;
  const address = ip.toLowerCase().split('%')[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped) return mapped[1]!;
  const groups = (part: string) => (part ? part.split(':') : []);
  const [head, tail] = address.split('::') as [string, string | undefined];
  const left = groups(head);
  // An embedded IPv4 address at the end takes the room of two groups.
  const right = groups(tail ?? '').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const full =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return `${full
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

export type AttemptResult =
  { allowed: true; counts: [number, number] } | { allowed: false; waitMs: number; tier: TierName };

/** Where the counts live: this process's memory, or Redis shared by every replica. */
export interface AttemptStore {
  /**
   * Atomically: when a key is within its tier's delay, refuse with the longest wait and count
   * nothing; otherwise count one attempt on each key. `enforce: false` counts without refusing
   * (a sign-in through the owner's unlock link).
   */
  attempt(keys: [string, string], now: number, enforce: boolean): Promise<AttemptResult>;
  /** A correct password: the first key's record goes, the second takes this attempt back. */
  forgive(keys: [string, string]): Promise<void>;
  close(): Promise<void>;
}

interface Counter {
  count: number;
  last: number;
}

export function memoryAttemptStore(): AttemptStore {
  const counters = new Map<string, Counter>();
  let calls = 0;
  const live = (key: string, tier: ThrottleTier, now: number) => {
    const counter = counters.get(key);
    return counter && now - counter.last < tier.forgetAfterMs ? counter : undefined;
  };
  return {
    async attempt(keys, now, enforce) {
      // Forget old records now and then, so the map does not grow without bound.
      if (++calls % 1000 === 0) {
        const horizon = Math.max(...TIERS.map((tier) => tier.forgetAfterMs));
        for (const [key, counter] of counters) {
          if (now - counter.last >= horizon) counters.delete(key);
        }
      }
      const found = keys.map((key, i) => live(key, TIERS[i]!, now));
      if (enforce) {
        let waitMs = 0;
        let blocked = 0;
        found.forEach((counter, i) => {
          if (!counter) return;
          const left = counter.last + delayAfter(TIERS[i]!, counter.count) - now;
          if (left > waitMs) [waitMs, blocked] = [left, i];
        });
        if (waitMs > 0) return { allowed: false, waitMs, tier: TIER_NAMES[blocked]! };
      }
      const counts = keys.map((key, i) => {
        const counter = { count: (found[i]?.count ?? 0) + 1, last: now };
        counters.set(key, counter);
        return counter.count;
      });
      return { allowed: true, counts: counts as [number, number] };
    },
    async forgive([reset, uncount]) {
      counters.delete(reset);
      const counter = counters.get(uncount);
      if (counter && counter.count > 0) counter.count -= 1;
    },
    async close() {
      counters.clear();
    },
  };
}

// KEYS: the two counters; ARGV: now, enforce (1/0), then free, base delay, max delay and
// lifetime of each key's tier. Returns {0, wait, tier} when refused, {1, count1, count2} when
// counted. One script, so the check and the count are one atomic step across replicas.
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
local enforce = ARGV[2] == '1'
local wait, blocked = 0, 0
for i = 1, #KEYS do
  local at = 3 + (i - 1) * 4
  local free, base, cap = tonumber(ARGV[at]), tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
  local state = redis.call('HMGET', KEYS[i], 'count', 'last')
  local count = tonumber(state[1]) or 0
  local last = tonumber(state[2]) or 0
  if enforce and count >= free then
    local left = last + math.min(base * 2 ^ (count - free), cap) - now
    if left > wait then wait, blocked = left, i end
  end
end
if wait > 0 then return {0, math.ceil(wait), blocked} end
local counts = {}
for i = 1, #KEYS do
  local at = 3 + (i - 1) * 4
  counts[i] = redis.call('HINCRBY', KEYS[i], 'count', 1)
  redis.call('HSET', KEYS[i], 'last', now)
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[at + 3]))
end
return {1, counts[1], counts[2]}
`;

const FORGIVE_SCRIPT = `
redis.call('DEL', KEYS[1])
local count = tonumber(redis.call('HGET', KEYS[2], 'count')) or 0
if count > 0 then redis.call('HINCRBY', KEYS[2], 'count', -1) end
return 1
`;

interface ThrottleCommands {
  loginAttempt(...args: (string | number)[]): Promise<[number, number, number]>;
  loginForgive(...args: string[]): Promise<number>;
}

export function redisAttemptStore(redis: Redis): AttemptStore {
  redis.defineCommand('loginAttempt', { numberOfKeys: 2, lua: ATTEMPT_SCRIPT });
  redis.defineCommand('loginForgive', { numberOfKeys: 2, lua: FORGIVE_SCRIPT });
  // defineCommand adds the methods at run time; this is their shape.
  const commands = redis as unknown as ThrottleCommands;
  return {
    async attempt(keys, now, enforce) {
      const tierArgs = TIERS.flatMap((tier) => [
        tier.free,
        tier.baseDelayMs,
        tier.maxDelayMs,
        tier.forgetAfterMs,
      ]);
      const [allowed, a, b] = await commands.loginAttempt(
        ...keys,
        now,
        enforce ? 1 : 0,
        ...tierArgs,
      );
      return allowed === 1
        ? { allowed: true, counts: [a, b] }
        : { allowed: false, waitMs: a, tier: TIER_NAMES[b - 1]! };
    },
    async forgive(keys) {
      await commands.loginForgive(...keys);
    },
    async close() {
      redis.disconnect();
    },
  };
}

/**
 * A Redis store that falls back to this process's memory while Redis is unreachable: sign-in
 * keeps working and keeps being throttled (per replica) during an outage, and a warning says so.
 */
function withFallback(primary: AttemptStore, log: FastifyBaseLogger): AttemptStore {
  const fallback = memoryAttemptStore();
  let warned = 0;
  const run = async <T>(call: (store: AttemptStore) => Promise<T>): Promise<T> => {
    try {
      return await call(primary);
    } catch (error) {
      if (Date.now() - warned > 60_000) {
        warned = Date.now();
        const message = error instanceof Error ? error.message : String(error);
        log.warn({ err: message }, 'redis (login throttle) unavailable; counting in memory');
      }
      return call(fallback);
    }
  };
  return {
    attempt: (keys, now, enforce) => run((store) => store.attempt(keys, now, enforce)),
    forgive: (keys) => run((store) => store.forgive(keys)),
    async close() {
      await primary.close();
      await fallback.close();
    },
  };
}

export interface LoginThrottle {
  attempt(email: string, ip: string | null, enforce: boolean): Promise<AttemptResult>;
  succeeded(email: string, ip: string | null): Promise<void>;
  close(): Promise<void>;
}

/**
 * The throttle of a server: in Redis when `REDIS_URL` is set (so replicas share the counts), in
 * memory otherwise. Keys hold an HMAC of the address, never the address itself.
 */
export async function createLoginThrottle(options: {
  redisUrl: string | undefined;
  keyPrefix: string;
  secretKey: string;
  log: FastifyBaseLogger;
}): Promise<LoginThrottle> {
  let store: AttemptStore;
  if (options.redisUrl) {
    const redis = new Redis(options.redisUrl, {
      lazyConnect: true,
      // Fail fast rather than queue sign-ins while Redis is away; the fallback takes over.
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      connectTimeout: 2000,
    });
    redis.on('error', (error) =>
      options.log.warn({ err: error.message }, 'redis (login throttle)'),
    );
    await redis.connect().catch(() => undefined);
    store = withFallback(redisAttemptStore(redis), options.log);
  } else {
    store = memoryAttemptStore();
  }
  const keysOf = (email: string, ip: string | null): [string, string] => {
    const account = hmac(options.secretKey, `login-throttle:${email}`).slice(0, 32);
    const base = `${options.keyPrefix}login-throttle:${account}`;
    return [`${base}:${clientNetwork(ip)}`, base];
  };
  return {
    attempt: (email, ip, enforce) => store.attempt(keysOf(email, ip), Date.now(), enforce),
    succeeded: (email, ip) => store.forgive(keysOf(email, ip)),
    close: () => store.close(),
  };
}
