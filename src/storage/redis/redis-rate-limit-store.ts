import type { Redis } from 'ioredis';
import type { RateLimitStore } from '../rate-limit-store.js';

/** One atomic step: count the hit, start the window on the first, and read what is left of it. */
const HIT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return {count, tonumber(ARGV[1])}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type WithHit = Redis & { hushRateLimitHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Counters under `<keyPrefix>ratelimit:<key>`, one Lua script per hit, so every node's requests
 * land on one count. A key found without an expiry (written by hand, say) gets its window back
 * rather than limiting that client for good.
 */
export function createRedisRateLimitStore(redis: Redis, keyPrefix: string): RateLimitStore {
  const client = redis as WithHit;
  if (typeof client.hushRateLimitHit !== 'function') {
    redis.defineCommand('hushRateLimitHit', { numberOfKeys: 1, lua: HIT });
  }
  const prefix = `${keyPrefix}ratelimit:`;
  return {
    async hit(key, windowMs) {
      const [count, ttlMs] = await client.hushRateLimitHit(`${prefix}${key}`, windowMs);
      return { count, ttlMs };
    },
  };
}
