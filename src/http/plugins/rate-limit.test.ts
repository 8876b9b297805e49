import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test/servers/redis-server.js';
import { testRedis } from '../../../test/servers/test-database.js';
import { createLogger } from '../../logging/logger.js';
import type { RateLimitStore } from '../../storage/rate-limit-store.js';
import { createRedisClient } from '../../storage/redis/redis-client.js';
import { isRedisFault } from '../../storage/redis/redis-faults.js';
import { createRedisRateLimitStore } from '../../storage/redis/redis-rate-limit-store.js';
import { mapFaults } from '../../storage/storage-faults.js';
import { registerRateLimit } from './rate-limit.js';

const logger = createLogger('silent');
const clients: Redis[] = [];
const apps: FastifyInstance[] = [];

/** The counters a node's storage hands the limiter with Redis: its own client, fault-mapped. */
async function counters(url: string, keyPrefix: string): Promise<RateLimitStore> {
  const redis = await createRedisClient({ url, keyPrefix, timeoutMs: 1000 }, logger);
  clients.push(redis);
  return mapFaults(createRedisRateLimitStore(redis, keyPrefix), isRedisFault);
}

/** One hush node: its own Fastify app and its own store. */
async function node(store: RateLimitStore | undefined): Promise<FastifyInstance> {
  const app = Fastify();
  await registerRateLimit(app, { max: 3, windowSeconds: 60, store });
  app.get('/ping', async () => ({ ok: true }));
  await app.ready();
  apps.push(app);
  return app;
}

const status = async (app: FastifyInstance) => (await app.inject({ method: 'GET', url: '/ping' })).statusCode;

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  for (const redis of clients.splice(0)) redis.disconnect();
});

describe('rate limit in Redis', () => {
  it('shares one counter between nodes', async () => {
    const { url, keyPrefix } = testRedis();
    const a = await node(await counters(url, keyPrefix));
    const b = await node(await counters(url, keyPrefix));

    expect([await status(a), await status(b), await status(a)]).toEqual([200, 200, 200]);
    expect(await status(b)).toBe(429);
    expect(await status(a)).toBe(429);

    const keys = await clients[0]?.keys(`${keyPrefix}*`);
    expect(keys).toEqual([`${keyPrefix}ratelimit:127.0.0.1`]);
    const ttl = (await clients[0]?.pttl(`${keyPrefix}ratelimit:127.0.0.1`)) ?? 0;
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('counts in memory, per node, without a store', async () => {
    const a = await node(undefined);
    const b = await node(undefined);
    expect([await status(a), await status(a), await status(a), await status(a)]).toEqual([
      200, 200, 200, 429,
    ]);
    expect(await status(b)).toBe(200);
  });

  describe('while Redis is down', () => {
    let server: RedisServer;
    afterAll(() => server?.destroy());

    it('lets requests through instead of failing them', async () => {
      server = await startRedisServer();
      const app = await node(await counters(server.url, 'hush:'));
      await server.stop();
      expect([await status(app), await status(app), await status(app), await status(app)]).toEqual([
        200, 200, 200, 200,
      ]);
    });
  });
});
