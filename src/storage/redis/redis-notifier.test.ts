import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisServer, startRedisServer } from '../../../test/servers/redis-server.js';
import { createLogger } from '../../logging/logger.js';
import { createRedisClient } from './redis-client.js';
import { createRedisNotifier, type RedisNotifier } from './redis-notifier.js';

const logger = createLogger('silent');

describe('Redis notifier', () => {
  let server: RedisServer;
  const clients: Redis[] = [];
  const notifiers: RedisNotifier[] = [];

  const node = async (keyPrefix: string) => {
    const redis = await createRedisClient({ url: server.url, keyPrefix, timeoutMs: 1000 }, logger);
    clients.push(redis);
    const notifier = createRedisNotifier(redis, keyPrefix, logger);
    notifiers.push(notifier);
    return notifier;
  };

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    for (const notifier of notifiers) await notifier.close();
    for (const redis of clients) redis.disconnect();
    await server?.destroy();
  });

  it('keeps deployments with different key prefixes apart', async () => {
    const a = await node('one:');
    const b = await node('one:');
    const other = await node('two:');
    const heard: string[] = [];
    const stranger: string[] = [];
    await b.subscribe('revocation', (message) => heard.push(message));
    await other.subscribe('revocation', (message) => stranger.push(message));
    a.publish('revocation', 'session-1');
    await expect.poll(() => heard, { timeout: 2_000 }).toEqual(['session-1']);
    expect(stranger).toEqual([]);
  });

  it('subscribes again by itself once Redis is back', async () => {
    const a = await node('again:');
    const b = await node('again:');
    const heard: string[] = [];
    await b.subscribe('settings', (message) => heard.push(message));
    await server.stop();
    expect(() => a.publish('settings', 'during')).not.toThrow();
    await server.restart();
    await expect
      .poll(
        () => {
          a.publish('settings', 'after');
          return heard;
        },
        { timeout: 15_000, interval: 200 },
      )
      .toContain('after');
    expect(heard).not.toContain('during');
  });
});
