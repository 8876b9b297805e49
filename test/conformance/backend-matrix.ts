import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { type Backends, openBackends } from '../../src/storage/open-storage.js';
import { createTestDatabase, testRedis } from '../servers/test-database.js';

export type BackendName = 'sqlite' | 'postgres' | 'redis';

/** What a conformance case may assume about a backend, beyond the contract they all share. */
export interface Backend {
  readonly name: BackendName;
  /** HUSH_* settings that select this backend on isolated data (a fresh file, database or prefix). */
  readonly env: Readonly<Record<string, string>>;
  /**
   * Whether a receipt's record carries the content. With Redis the content lives in Redis only and
   * the SQL record behind the receipt is content-free by design.
   */
  readonly receiptHoldsContent: boolean;
  /** Opens the backend as a hush node would (the real composition of stores); migrated. */
  open(): Promise<Backends>;
  /** Removes what the backend left on disk. */
  cleanup(): void;
}

/** The backends every conformance case runs against. `npm test` provides PostgreSQL and Redis. */
export const BACKEND_NAMES: readonly BackendName[] = ['sqlite', 'postgres', 'redis'];

const logger = createLogger('silent');

export async function openBackendFromEnv(env: Readonly<Record<string, string>>): Promise<Backends> {
  const backends = await openBackends(loadConfig(env), logger);
  await backends.storage.migrate();
  return backends;
}

/** A fresh, isolated instance of backend `name`. */
export async function makeBackend(name: BackendName): Promise<Backend> {
  const dir = mkdtempSync(path.join(tmpdir(), `hush-conformance-${name}-`));
  const env: Record<string, string> = { HUSH_DATA_DIR: dir };
  if (name !== 'sqlite') env.HUSH_DATABASE_URL = await createTestDatabase();
  if (name === 'redis') {
    const redis = testRedis();
    Object.assign(env, {
      HUSH_REDIS_URL: redis.url,
      HUSH_REDIS_KEY_PREFIX: redis.keyPrefix,
      HUSH_SHARE_STORE: 'redis',
    });
  }
  return {
    name,
    env,
    receiptHoldsContent: name !== 'redis',
    open: () => openBackendFromEnv(env),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Two nodes opened on one fresh backend, as the lock and user cases need; close() ends both. */
export interface TwoNodes {
  readonly nodes: readonly [Backends, Backends];
  close(): Promise<void>;
}

export async function openTwoNodes(name: BackendName): Promise<TwoNodes> {
  const backend = await makeBackend(name);
  const nodes = [await backend.open(), await backend.open()] as const;
  return {
    nodes,
    async close() {
      await Promise.all(nodes.map((node) => node.close()));
      backend.cleanup();
    },
  };
}
