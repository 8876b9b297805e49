import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SqlStorage, Storage } from '../storage.js';
import { mapFaults, mapLockFaults } from '../storage-faults.js';
import { createRedisEventOutbox, withOutbox } from './redis-event-outbox.js';
import { isRedisFault } from './redis-faults.js';
import { createRedisLockStore } from './redis-lock-store.js';
import { createRedisNotifier } from './redis-notifier.js';
import { createRedisRateLimitStore } from './redis-rate-limit-store.js';
import { createRedisShareStore } from './redis-share-store.js';

export interface RedisStorageOptions {
  /** Handed over: close() quits it, after the SQL storage beneath is closed. */
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Keep share content in Redis (HUSH_SHARE_STORE=redis); otherwise only the locks move there. */
  readonly shareContent: boolean;
  readonly logger: Logger;
}

/**
 * Puts Redis in front of a SQL backend: sweeper locks, the notifier (pub/sub; it wins over the
 * SQL one, so every node listens in one place) and the rate limiter's counters always, share
 * content when chosen. Audit events, receipts' content-free records and the key check stay in
 * SQL. Redis outages surface as HushError('unavailable') (503). The Redis client stays inside
 * storage: nothing above it sees one.
 */
export function withRedis(sql: SqlStorage, options: RedisStorageOptions): Storage {
  const { redis, keyPrefix, logger } = options;
  // Share scripts push their audit events here; drainOutbox moves what a crash left behind.
  const outbox = createRedisEventOutbox({ redis, keyPrefix, events: sql.events });
  const shares = options.shareContent
    ? mapFaults(
        createRedisShareStore({
          redis,
          keyPrefix,
          records: sql.shares,
          files: sql.files,
          outbox,
          onMirrorError: (error) =>
            // Name and code only: a driver's message can quote the statement's values.
            logger.error(
              { errName: (error as Error).name, errCode: (error as { code?: unknown }).code },
              'share changed in Redis but its SQL record or audit events were not updated yet',
            ),
        }),
        isRedisFault,
      )
    : sql.shares;
  const notifier = createRedisNotifier(redis, keyPrefix, logger);
  let closing: Promise<void> | undefined;

  return {
    name: `${sql.name}+redis`,
    shares,
    files: sql.files,
    events: options.shareContent ? mapFaults(withOutbox(sql.events, outbox), isRedisFault) : sql.events,
    users: sql.users,
    settings: sql.settings,
    oauthStates: sql.oauthStates,
    policies: sql.policies,
    tokens: sql.tokens,
    machines: sql.machines,
    secrets: sql.secrets,
    keyring: sql.keyring,
    locks: mapLockFaults(createRedisLockStore(redis, keyPrefix), isRedisFault),
    notifier,
    rateLimits: mapFaults(createRedisRateLimitStore(redis, keyPrefix), isRedisFault),
    keyCheck: sql.keyCheck,
    migrate: () => sql.migrate(),
    async ping() {
      await Promise.all([sql.ping(), redis.ping()]);
    },
    close() {
      closing ??= (async () => {
        await notifier.close();
        await sql.close();
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closing;
    },
  };
}
