import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../../config/config.js';

/**
 * int8 as a JS number, for this pool only (the global pg.types stays untouched): our bigints are
 * epoch milliseconds, event sequence numbers and counts, all far below 2^53.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? Number
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * TLS as libpq means it: `require` encrypts without checking the certificate; `verify-full` checks
 * the chain (against tlsCaFile when set, else the system CAs) and the host name. `off` is an
 * explicit false, so a stray PGSSLMODE in the environment cannot change it.
 */
function tlsOptions(config: DatabaseConfig): false | ConnectionOptions {
  switch (config.tls) {
    case 'off':
      return false;
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return {
        rejectUnauthorized: true,
        ...(config.tlsCaFile === undefined ? {} : { ca: readFileSync(config.tlsCaFile, 'utf8') }),
      };
  }
}

/**
 * The connection pool of one storage. Every query is bounded twice by queryTimeoutMs: by the client
 * (a dead socket fails the request) and by the server (statement_timeout stops the work there).
 * `overrides` adjusts one pool's settings, e.g. no timeouts for migrations.
 */
export function createPostgresPool(
  config: DatabaseConfig,
  logger: Logger,
  overrides: Partial<pg.PoolConfig> = {},
): pg.Pool {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectTimeoutMs,
    // The server gives up first: a statement it cancels is rolled back (a definite 57014), while a
    // client that gave up first could not tell whether a claim it sent had committed.
    statement_timeout: config.queryTimeoutMs,
    query_timeout: config.queryTimeoutMs + 1000,
    keepAlive: true,
    ssl: tlsOptions(config),
    application_name: 'hush',
    types,
    ...overrides,
  });
  // An idle connection that fails (server restart, network cut) emits 'error' on the pool; left
  // unhandled it would crash the process. pg-pool drops that client; the next query reconnects.
  // Only name and code are logged: a query error's message can quote the values it was given.
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn({ err: { name: error.name, code: error.code } }, 'idle PostgreSQL connection failed');
  });
  // pg-pool removes its listener while a client is checked out (by Kysely, the migrator or a lock),
  // and a connection lost mid-query emits 'error' on the client: without a listener of its own,
  // that would crash the process. The query in flight still rejects and is answered 503.
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      logger.warn({ err: { name: error.name, code: error.code } }, 'PostgreSQL connection failed');
    });
  });
  return pool;
}
