import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { openPostgresStorage } from './postgres/postgres-storage.js';
import { createRedisClient } from './redis/redis-client.js';
import { withRedis } from './redis/redis-storage.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import type { SqlStorage, Storage } from './storage.js';

/** The opened backends of one process: storage, plus the Redis client when one is configured. */
export interface Backends {
  readonly storage: Storage;
  /** Shared with the rate limiter; undefined without HUSH_REDIS_URL. */
  readonly redis: Redis | undefined;
  close(): Promise<void>;
}

/**
 * Picks the backends from config: SQLite under HUSH_DATA_DIR (the embedded default) or PostgreSQL
 * for records and the audit log; with Redis, the sweeper lock, and share content if chosen.
 */
export async function openBackends(config: Config, logger: Logger): Promise<Backends> {
  const sql = openSqlStorage(config, logger);
  if (config.redis === undefined) return { storage: sql, redis: undefined, close: () => sql.close() };
  const redis = await createRedisClient(config.redis, logger).catch(async (error: unknown) => {
    await sql.close();
    throw error;
  });
  const storage = withRedis(sql, {
    redis,
    keyPrefix: config.redis.keyPrefix,
    shareContent: config.shareStore === 'redis',
    logger,
  });
  logger.info({ shareStore: config.shareStore }, 'Redis connected');
  return {
    storage,
    redis,
    async close() {
      await storage.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

/** The SQL database alone (SQLite or PostgreSQL): what `migrate` needs. */
export function openSqlStorage(config: Config, logger: Logger): SqlStorage {
  if (config.database) {
    const { host, port, pathname } = new URL(config.database.url);
    // Host and database name only: the URL's user info may hold a password.
    logger.info({ host, port, database: pathname.slice(1), tls: config.database.tls }, 'using PostgreSQL');
    return openPostgresStorage({ database: config.database, logger });
  }
  logger.info({ file: config.sqlitePath }, 'opening SQLite storage');
  return openSqliteStorage({ file: config.sqlitePath, logger });
}
