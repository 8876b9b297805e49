import { Kysely, Migrator, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { DatabaseConfig } from '../../config/config.js';
import { blobBytesFor } from '../blob-dir-bytes.js';
import { META_SQL } from '../sql/meta-statements.js';
import type { SqlSchema } from '../sql/schema.js';
import type { SqlStorage } from '../storage.js';
import { mapFaults, mapLockFaults } from '../storage-faults.js';
import { createPostgresEventStore } from './postgres-event-store.js';
import { isPostgresFault } from './postgres-faults.js';
import { createPostgresFileStore } from './postgres-file-store.js';
import { createPostgresKeyringStore } from './postgres-keyring-store.js';
import { createPostgresLockStore } from './postgres-lock-store.js';
import { createPostgresMachineStore } from './postgres-machine-store.js';
import { postgresMigrations } from './postgres-migrations.js';
import { createPostgresNotifier } from './postgres-notifier.js';
import { createPostgresOauthStateStore } from './postgres-oauth-state-store.js';
import { createPostgresPolicyStore } from './postgres-policy-store.js';
import { createPostgresPool } from './postgres-pool.js';
import { runPostgres } from './postgres-prepared.js';
import { createPostgresSecretStore } from './postgres-secret-store.js';
import { createPostgresSettingsStore } from './postgres-settings-store.js';
import { createPostgresShareStore } from './postgres-share-store.js';
import { createPostgresTokenStore } from './postgres-token-store.js';
import { createPostgresUserStore } from './postgres-user-store.js';

export interface PostgresOptions {
  readonly database: DatabaseConfig;
  readonly logger: Logger;
  /** HUSH_BLOB_DIR: part bytes in files there instead of rows. */
  readonly blobDir?: string | undefined;
}

/**
 * Opens the PostgreSQL backend: one pool shared by every store and by Kysely (which builds the
 * dynamic events query). Connection faults surface as HushError('unavailable'); the pool reconnects
 * by itself, so the same storage serves again once the server is back.
 */
export function openPostgresStorage(options: PostgresOptions): SqlStorage {
  const { database, logger } = options;
  const pool = createPostgresPool(database, logger);
  const db = kyselyOn(pool);
  const notifier = createPostgresNotifier(pool, database, logger);
  let closing: Promise<void> | undefined;
  const blobs = blobBytesFor(options.blobDir);

  const lifecycle = mapFaults(
    {
      migrate: () => migratePostgres(database, logger),
      async ping() {
        await pool.query('select 1');
      },
    },
    isPostgresFault,
  );

  return {
    name: 'postgres',
    shares: mapFaults(createPostgresShareStore(pool, blobs), isPostgresFault),
    files: mapFaults(createPostgresFileStore(pool, blobs), isPostgresFault),
    // A transaction that took a seq commits within a few statements, each bounded by the query
    // timeout: the cursor waits that long on a gap before taking it for a seq never to be used.
    events: mapFaults(
      createPostgresEventStore(pool, db, { settleMs: Math.max(10_000, 3 * database.queryTimeoutMs) }),
      isPostgresFault,
    ),
    locks: mapLockFaults(createPostgresLockStore(pool), isPostgresFault),
    users: mapFaults(createPostgresUserStore(pool), isPostgresFault),
    settings: mapFaults(createPostgresSettingsStore(pool), isPostgresFault),
    oauthStates: mapFaults(createPostgresOauthStateStore(pool), isPostgresFault),
    policies: mapFaults(createPostgresPolicyStore(pool), isPostgresFault),
    tokens: mapFaults(createPostgresTokenStore(pool), isPostgresFault),
    machines: mapFaults(createPostgresMachineStore(pool), isPostgresFault),
    secrets: mapFaults(createPostgresSecretStore(pool), isPostgresFault),
    keyring: mapFaults(createPostgresKeyringStore(pool), isPostgresFault),
    notifier,
    rateLimits: undefined,
    keyCheck: mapFaults(
      {
        read: async () => (await runPostgres(pool, META_SQL.readKeyCheck, {})).rows[0]?.value,
        write: async (value: string) => void (await runPostgres(pool, META_SQL.writeKeyCheck, { value })),
      },
      isPostgresFault,
    ),
    migrate: lifecycle.migrate,
    ping: lifecycle.ping,
    close() {
      // Kysely only borrows the pool (see kyselyOn); ending it is ours, and only once.
      closing ??= notifier
        .close()
        .then(() => db.destroy())
        .then(() => pool.end());
      return closing;
    },
  };
}

/** Kysely on a pool it does not own: its destroy() must not end the pool the stores still use. */
function kyselyOn(pool: pg.Pool): Kysely<SqlSchema> {
  return new Kysely<SqlSchema>({
    dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }),
  });
}

/**
 * Runs the migrator on a connection of its own, without the query timeouts: DDL on a large table,
 * or waiting for another node to finish migrating, may rightly take longer than one query should.
 * Kysely runs all pending migrations in one transaction under an advisory lock, so nodes that
 * migrate at once take turns and the later ones find the work done.
 */
async function migratePostgres(database: DatabaseConfig, logger: Logger): Promise<void> {
  const pool = createPostgresPool(database, logger, {
    max: 1,
    query_timeout: undefined,
    statement_timeout: undefined,
  });
  const db = kyselyOn(pool);
  try {
    const { error } = await new Migrator({ db, provider: postgresMigrations }).migrateToLatest();
    if (error) throw error;
  } finally {
    await db.destroy();
    await pool.end();
  }
}
