import { startPostgresServer } from '../test/servers/postgres-server.js';
import { startRedisServer } from '../test/servers/redis-server.js';
import type { RawBackend } from './raw-queries.js';

export const BACKENDS = ['sqlite', 'postgres', 'redis'] as const;
export type Backend = (typeof BACKENDS)[number];

/** The storage servers of one bench run and how hush and the raw baseline reach them. */
export interface BackendServers {
  readonly backend: Backend;
  /** HUSH_* settings pointing hush at the servers; none for SQLite (HUSH_DATA_DIR does). */
  readonly hushEnv: Readonly<Record<string, string>>;
  /** What bench/raw-query-server.ts connects to; undefined for SQLite, whose baseline is echo. */
  readonly raw: { readonly backend: RawBackend; readonly url: string } | undefined;
  /** One line for the log. */
  readonly description: string;
  /** Stops the servers and deletes their data. Idempotent. */
  destroy(): Promise<void>;
}

/**
 * Starts throwaway servers with the test helpers (test/servers/): a PostgreSQL on a free loopback
 * port (fsync off) with one database for hush and one for the baseline, and for `redis` also a Redis
 * (no persistence) that hush keeps share content in (keys under hush:) and the baseline uses
 * (keys under raw:). hush keeps its audit events in PostgreSQL with HUSH_SHARE_STORE=redis.
 */
export async function startBackend(backend: Backend): Promise<BackendServers> {
  if (backend === 'sqlite') {
    return {
      backend,
      hushEnv: {},
      raw: undefined,
      description: 'SQLite (WAL) in a temp dir',
      destroy: async () => undefined,
    };
  }
  const servers: { destroy(): Promise<void> }[] = [];
  const destroy = async () => {
    await Promise.all(servers.splice(0).map((server) => server.destroy()));
  };
  try {
    const postgres = await startPostgresServer();
    servers.push(postgres);
    const hushDatabase = await postgres.createDatabase();
    const pgLine = `throwaway PostgreSQL on 127.0.0.1:${postgres.port} (fsync off)`;
    if (backend === 'postgres') {
      return {
        backend,
        hushEnv: { HUSH_DATABASE_URL: hushDatabase },
        raw: { backend: 'postgres', url: await postgres.createDatabase() },
        description: `${pgLine}, a database each for hush and the raw baseline`,
        destroy,
      };
    }
    const redis = await startRedisServer();
    servers.push(redis);
    return {
      backend,
      hushEnv: { HUSH_DATABASE_URL: hushDatabase, HUSH_REDIS_URL: redis.url, HUSH_SHARE_STORE: 'redis' },
      raw: { backend: 'redis', url: redis.url },
      description: `throwaway Redis on 127.0.0.1:${redis.port} (no persistence) for share content; ${pgLine} for events`,
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
