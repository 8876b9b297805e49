import type { Logger } from 'pino';
import type { Config } from '../config/config.js';
import { announceRevocations } from './notifier-revocations.js';
import { openPostgresStorage } from './postgres/postgres-storage.js';
import { createRedisClient } from './redis/redis-client.js';
import { withRedis } from './redis/redis-storage.js';
import { openSqliteStorage } from './sqlite/sqlite-storage.js';
import type { SqlStorage, Storage } from './storage.js';

/**
 * The opened backends of one process, behind one Storage: no driver client (Redis, a pool) is
 * handed to services or plugins; what they need from a backend is a store on Storage.
 */
export interface Backends {
  readonly storage: Storage;
  /** Closes the storage and every connection it opened (the same as storage.close()). */
  close(): Promise<void>;
}

/**
 * Picks the backends from config: SQLite under HUSH_DATA_DIR (the embedded default) or PostgreSQL
 * for records and the audit log; with Redis, the sweeper lock, the notifier, the rate limiter's
 * counters, and share content if chosen. Revocations are announced on whichever notifier won.
 */
export async function openBackends(config: Config, logger: Logger): Promise<Backends> {
  const sql = openSqlStorage(config, logger);
  if (config.redis === undefined) return backendsOf(announceRevocations(sql));
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
  return backendsOf(announceRevocations(storage));
}

function backendsOf(storage: Storage): Backends {
  return { storage, close: () => storage.close() };
}

/** The SQL database alone (SQLite or PostgreSQL): what `migrate` needs. */
export function openSqlStorage(config: Config, logger: Logger): SqlStorage {
  if (config.database) {
    const { host, port, pathname } = new URL(config.database.url);
    // Host and database name only: the URL's user info may hold a password.
    logger.info({ host, port, database: pathname.slice(1), tls: config.database.tls }, 'using PostgreSQL');
    return openPostgresStorage({ database: config.database, logger, blobDir: config.blobDir });
  }
  logger.info({ file: config.sqlitePath }, 'opening SQLite storage');
  return openSqliteStorage({ file: config.sqlitePath, logger, blobDir: config.blobDir });
}
