import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { testRedis } from '../../../test/servers/test-database.js';
import type { LockStore } from '../lock-store.js';
import { createRedisLockStore } from './redis-lock-store.js';

const server = testRedis();
const redis = new Redis(server.url);
// Another node: its own client on the same Redis.
const otherRedis = new Redis(server.url);
let locks: LockStore;
let others: LockStore;

afterAll(async () => {
  await Promise.all([redis.quit(), otherRedis.quit()]);
});

beforeEach(() => {
  const { keyPrefix } = testRedis();
  locks = createRedisLockStore(redis, keyPrefix);
  others = createRedisLockStore(otherRedis, keyPrefix);
});

describe('Redis lock store', () => {
  it('refuses a second holder while the lease is held, and frees the name on release', async () => {
    const lease = await locks.tryAcquire('sweeper', 60_000);
    expect(lease).toBeDefined();
    expect(await others.tryAcquire('sweeper', 60_000)).toBeUndefined();
    expect(await locks.tryAcquire('sweeper', 60_000)).toBeUndefined();
    expect(await others.tryAcquire('other-work', 60_000)).toBeDefined();

    await lease?.release();
    expect(await others.tryAcquire('sweeper', 60_000)).toBeDefined();
  });

  it('lets only the holder renew or release', async () => {
    const first = await locks.tryAcquire('sweeper', 200);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await others.tryAcquire('sweeper', 60_000);
    expect(second).toBeDefined();

    // The lapsed holder can neither extend nor free the new holder's lease.
    expect(await first?.renew()).toBe(false);
    await first?.release();
    expect(await locks.tryAcquire('sweeper', 60_000)).toBeUndefined();

    expect(await second?.renew()).toBe(true);
  });

  it('frees the name when the lease lapses, unless renewed', async () => {
    const lease = await locks.tryAcquire('sweeper', 300);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lease?.renew()).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 400 ms after acquiring: held only thanks to the renewal.
    expect(await others.tryAcquire('sweeper', 60_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await others.tryAcquire('sweeper', 60_000)).toBeDefined();
  });
});
