import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, testRedis } from '../servers/test-database.js';
import { logLines } from './load.js';

/**
 * The storage a deployment of several hush nodes runs on, as end-to-end tests name it:
 * - `sqlite`: one SQLite file in a shared data directory (several processes, one machine);
 * - `postgres`: one fresh PostgreSQL database;
 * - `postgres+redis`: that database, plus Redis for the rate limiter and the sweeper lock;
 * - `redis`: as `postgres+redis`, and share content kept in Redis (HUSH_SHARE_STORE=redis).
 */
export type Backend = 'sqlite' | 'postgres' | 'postgres+redis' | 'redis';

/**
 * HUSH_* settings that put every node given them on the same fresh storage (on the run's shared
 * PostgreSQL and Redis, see test/servers/global-setup.ts). HUSH_DATA_DIR and the master key are
 * the caller's. Call inside a hook or test: the server URLs come from vitest's inject().
 */
export async function backendEnv(backend: Backend): Promise<Record<string, string>> {
  if (backend === 'sqlite') return {};
  const env: Record<string, string> = { HUSH_DATABASE_URL: await createTestDatabase() };
  if (backend === 'postgres') return env;
  const redis = testRedis();
  env.HUSH_REDIS_URL = redis.url;
  env.HUSH_REDIS_KEY_PREFIX = redis.keyPrefix;
  if (backend === 'redis') env.HUSH_SHARE_STORE = 'redis';
  return env;
}

/** Temporary directories for a test file, removed by `cleanup()` (call it in afterAll/afterEach). */
export function tempDirs(prefix: string) {
  const dirs: string[] = [];
  return {
    make() {
      const dir = mkdtempSync(path.join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The backend a node's start-up log says it runs on, so a test can check it is not silently on
 * another one (an ignored setting would otherwise pass every test on SQLite).
 */
export function startedOn(output: string): Backend | string {
  const lines = logLines(output);
  const storage = String(lines.find((line) => line.msg === 'hush is listening')?.storage);
  const shareStore = lines.find((line) => line.msg === 'Redis connected')?.shareStore;
  if (storage === 'postgres+redis' && shareStore === 'redis') return 'redis';
  return storage;
}
