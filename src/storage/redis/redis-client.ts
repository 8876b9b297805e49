import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RedisConfig } from '../../config/config.js';

/** Longest wait between reconnection attempts while Redis is away. */
const MAX_BACKOFF_MS = 2_000;

/**
 * Opens the one Redis client of a process; its creator (the composition root) quits it.
 *
 * Tuned to fail fast and heal by itself: while disconnected, commands reject at once instead of
 * queueing (the request answers 503), any one command is bounded by `timeoutMs`, and the client
 * keeps reconnecting forever with a capped backoff. Rejects when Redis is unreachable at startup.
 */
export async function createRedisClient(config: RedisConfig, logger: Logger): Promise<Redis> {
  const redis = new Redis(config.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    // A command whose reply was lost may already have run: resending a view claim after a
    // reconnect could spend a second view that nobody receives.
    autoResendUnfulfilledCommands: false,
    connectTimeout: config.timeoutMs,
    commandTimeout: config.timeoutMs,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), MAX_BACKOFF_MS),
  });

  // One line per outage, not one per reconnection attempt. Only the name and code are logged:
  // some messages repeat the address, and the URL may carry a password.
  let lastError: unknown;
  let down = false;
  redis.on('error', (error: unknown) => {
    lastError = error;
    if (down) return;
    down = true;
    logger.warn(describeError(error), 'Redis connection failed; reconnecting');
  });
  redis.on('ready', () => {
    if (down) logger.info('Redis connection restored');
    down = false;
  });

  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    const { name, code } = describeError(lastError ?? error);
    throw new Error(`cannot connect to Redis (HUSH_REDIS_URL): ${code ?? name}`);
  }
  return redis;
}

function describeError(error: unknown): { name: string; code: string | undefined } {
  if (!(error instanceof Error)) return { name: typeof error, code: undefined };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, code: typeof code === 'string' ? code : undefined };
}
