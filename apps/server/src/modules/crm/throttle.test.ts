import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryThrottle, redisThrottle, takeFromBudgets, type Throttle } from './throttle.js';

// The same behaviour from both stores: in memory, and in the machine's Redis (as with REDIS_URL).
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 2 });
const throttles: [string, () => Throttle][] = [
  ['memory', () => memoryThrottle()],
  ['redis', () => redisThrottle(redis, `bastion-test:${randomUUID()}:`)],
];
afterAll(() => redis.quit());

describe.each(throttles)('%s throttle', (_name, make) => {
  const throttle = make();

  it('takes several hits at once, or none of them when they do not all fit', async () => {
    expect(await throttle.hit('rows', 10, 60_000, 7)).toBe(0);
    // 7 + 4 > 10: refused, and nothing was taken, so 3 still fit.
    const wait = await throttle.hit('rows', 10, 60_000, 4);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await throttle.hit('rows', 10, 60_000, 3)).toBe(0);
    expect(await throttle.hit('rows', 10, 60_000)).toBeGreaterThan(0);
  });

  it('answers the time left in the window, not the whole window', async () => {
    expect(await throttle.hit('left', 1, 10_000)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const wait = await throttle.hit('left', 1, 10_000);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(9);
  });

  it('gives back what a later budget refused (all budgets or none)', async () => {
    const budgets = [
      { key: 'ip', max: 5 },
      { key: 'key', max: 2 },
    ];
    expect(await takeFromBudgets(throttle, budgets, 60_000, 2)).toBe(0);
    // The key's budget is spent: the IP's 2 taken for this attempt are returned.
    expect(await takeFromBudgets(throttle, budgets, 60_000, 2)).toBeGreaterThan(0);
    expect(await throttle.hit('ip', 5, 60_000, 3)).toBe(0);
  });
});
