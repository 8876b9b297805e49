import Fastify, { type FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test/servers/redis-server.js';
import { testRedis } from '../../../test/servers/test-database.js';
import { createLogger } from '../../logging/logger.js';
import { createRedisClient } from '../../storage/redis/redis-client.js';
import { registerRateLimit } from './rate-limit.js';

const logger = createLogger('silent');
const clients: Redis[] = [];
const apps: FastifyInstance[] = [];

async function client(url: string): Promise<Redis> {
  const redis = await createRedisClient({ url, keyPrefix: 'unused:', timeoutMs: 1000 }, logger);
  clients.push(redis);
  return redis;
}

/** One hush node: its own Fastify app and its own Redis client. */
async function node(redis: Redis, redisKeyPrefix: string): Promise<FastifyInstance> {
  const app = Fastify();
  await registerRateLimit(app, { max: 3, windowSeconds: 60, redis, redisKeyPrefix });
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
    const a = await node(await client(url), keyPrefix);
    const b = await node(await client(url), keyPrefix);

    expect([await status(a), await status(b), await status(a)]).toEqual([200, 200, 200]);
    expect(await status(b)).toBe(429);
    expect(await status(a)).toBe(429);

    const keys = await clients[0]?.keys(`${keyPrefix}*`);
    expect(keys).toEqual([`${keyPrefix}ratelimit:127.0.0.1`]);
  });

  describe('while Redis is down', () => {
    let server: RedisServer;
    afterAll(() => server?.destroy());

    it('lets requests through instead of failing them', async () => {
      server = await startRedisServer();
      const app = await node(await client(server.url), 'hush:');
      await server.stop();
      expect([await status(app), await status(app), await status(app), await status(app)]).toEqual([
        200, 200, 200, 200,
      ]);
    });
  });
});
