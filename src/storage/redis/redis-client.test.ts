import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../test/servers/free-port.js';
import { type RedisServer, startRedisServer } from '../../../test/servers/redis-server.js';
import { createLogger } from '../../logging/logger.js';
import { createRedisClient } from './redis-client.js';

const logger = createLogger('silent');

describe('createRedisClient', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(() => server?.destroy());

  it('rejects at startup when Redis is unreachable, echoing neither URL nor password', async () => {
    const lines: string[] = [];
    const capture = createLogger('info', { write: (line: string) => lines.push(line) });
    const url = `redis://:hunter2-password@127.0.0.1:${await freePort()}`;
    const failure = createRedisClient({ url, keyPrefix: 'hush:', timeoutMs: 1000 }, capture);
    await expect(failure).rejects.toThrow(/cannot connect to Redis.*ECONNREFUSED/);
    await expect(failure).rejects.not.toThrow(/hunter2|127\.0\.0\.1/);
    expect(lines.join('')).toContain('ECONNREFUSED');
    expect(lines.join('')).not.toMatch(/hunter2|127\.0\.0\.1/);
  });

  it('fails commands at once while Redis is down and reconnects by itself', async () => {
    const redis = await createRedisClient({ url: server.url, keyPrefix: 'hush:', timeoutMs: 1000 }, logger);
    try {
      expect(await redis.ping()).toBe('PONG');
      await server.stop();
      await expect(redis.ping()).rejects.toThrow();

      await server.restart();
      await expect.poll(() => redis.ping().catch(() => 'down'), { timeout: 10_000 }).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
