import { createTestDatabase, testRedis } from '../servers/test-database.js';
import { logLines } from './load.js';

/**
 * The storage a deployment of several hush nodes runs on, as end-to-end tests name it (a backend,
 * src/storage/<backend>/, or PostgreSQL with Redis beside it):
 * - `sqlite`: one SQLite file in a shared data directory (several processes, one machine);
 * - `postgres`: one fresh PostgreSQL database;
 * - `postgres+redis`: that database, plus Redis for the rate limiter and the sweeper lock;
 * - `redis`: as `postgres+redis`, and share content kept in Redis (HUSH_SHARE_STORE=redis).
 */
export type NodeStorage = 'sqlite' | 'postgres' | 'postgres+redis' | 'redis';

/**
 * HUSH_* settings that put every node given them on the same fresh storage (on the run's shared
 * PostgreSQL and Redis, see test/servers/global-setup.ts). HUSH_DATA_DIR and the master key are
 * the caller's. Call inside a hook or test: the server URLs come from vitest's inject().
 */
export async function nodeStorageEnv(storage: NodeStorage): Promise<Record<string, string>> {
  if (storage === 'sqlite') return {};
  const env: Record<string, string> = { HUSH_DATABASE_URL: await createTestDatabase() };
  if (storage === 'postgres') return env;
  const redis = testRedis();
  env.HUSH_REDIS_URL = redis.url;
  env.HUSH_REDIS_KEY_PREFIX = redis.keyPrefix;
  if (storage === 'redis') env.HUSH_SHARE_STORE = 'redis';
  return env;
}

/**
 * The storage a node's start-up log says it runs on, so a test can check it is not silently on
 * another one (an ignored setting would otherwise pass every test on SQLite).
 */
export function startedOn(output: string): NodeStorage | string {
  const lines = logLines(output);
  const storage = String(lines.find((line) => line.msg === 'hush is listening')?.storage);
  const shareStore = lines.find((line) => line.msg === 'Redis connected')?.shareStore;
  if (storage === 'postgres+redis' && shareStore === 'redis') return 'redis';
  return storage;
}
