import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';
import type { Logger } from 'pino';
import { blobBytesFor } from '../blob-dir-bytes.js';
import { META_SQL } from '../sql/meta-statements.js';
import type { SqlSchema } from '../sql/schema.js';
import type { SqlStorage } from '../storage.js';
import { mapFaults, mapLockFaults } from '../storage-faults.js';
import type { TokenLookup } from '../token-store.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { createSqliteEventStore } from './sqlite-event-store.js';
import { isSqliteFault } from './sqlite-faults.js';
import { tightenSqliteFiles } from './sqlite-file-modes.js';
import { sqliteFileSteps } from './sqlite-file-steps.js';
import { createSqliteFileStore } from './sqlite-file-store.js';
import { createSqliteKeyringStore } from './sqlite-keyring-store.js';
import { createSqliteLockStore } from './sqlite-lock-store.js';
import { createSqliteMachineStore } from './sqlite-machine-store.js';
import { sqliteMigrations } from './sqlite-migrations.js';
import { createSqliteNotifier } from './sqlite-notifier.js';
import { createSqliteOauthStateStore } from './sqlite-oauth-state-store.js';
import { createSqlitePolicyStore } from './sqlite-policy-store.js';
import { sqlitePrepared } from './sqlite-prepared.js';
import { changeCounter, createReadCache } from './sqlite-read-cache.js';
import { createSqliteSecretStore } from './sqlite-secret-store.js';
import { createSqliteSettingsStore } from './sqlite-settings-store.js';
import { createSqliteShareStore } from './sqlite-share-store.js';
import { createSqliteTokenStore } from './sqlite-token-store.js';
import { createSqliteUserStore } from './sqlite-user-store.js';
import { createWriteQueue } from './sqlite-write-queue.js';

export interface SqliteOptions {
  readonly file: string;
  /** How long a writer waits for another process's write lock before failing. */
  readonly busyTimeoutMs?: number;
  /** Told when a file of the database was readable by others and has been made 0600. */
  readonly logger?: Pick<Logger, 'warn'>;
  /** HUSH_BLOB_DIR: part bytes in files there instead of rows. */
  readonly blobDir?: string | undefined;
}

/**
 * Opens the embedded SQLite backend. WAL with synchronous=NORMAL: a committed transaction survives
 * a crash of the process (kill -9); only an OS crash or power loss can drop the last commits.
 */
export function openSqliteStorage(options: SqliteOptions): SqlStorage {
  mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
  // Create the file 0600 first: SQLite gives its -wal and -shm files the database file's mode.
  closeSync(openSync(options.file, 'a', 0o600));
  const database = new Database(options.file);
  const busyTimeoutMs = options.busyTimeoutMs ?? 10_000;
  database.pragma(`busy_timeout = ${busyTimeoutMs}`);
  enableWal(database, busyTimeoutMs);
  // A file from before (or made by hand) may be readable by others: secrets' pages are in all three.
  for (const { file, previousMode } of tightenSqliteFiles(options.file)) {
    options.logger?.warn({ file, previousMode }, 'database file was readable by others: set to mode 0600');
  }
  database.pragma('synchronous = NORMAL');
  // Erased ciphertext is overwritten with zeros rather than left in free pages.
  database.pragma('secure_delete = ON');
  database.pragma('foreign_keys = ON');
  // After a burst, give the WAL file back to the disk once it has been checkpointed.
  database.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);

  // Kysely runs migrations and the dynamic events query; the hot path uses prepared statements.
  const db = new Kysely<SqlSchema>({ dialect: new SqliteDialect({ database }) });
  const writes = createWriteQueue(database);
  const checkpointer = startCheckpointer(database, options.file);
  const tokenLookups = createReadCache<TokenLookup>(changeCounter(database));
  const keyCheck = {
    read: sqlitePrepared(database, META_SQL.readKeyCheck),
    write: sqlitePrepared(database, META_SQL.writeKeyCheck),
  };

  const faults = <T extends object>(store: T) => mapFaults(store, isSqliteFault);
  const files = { steps: sqliteFileSteps(database), blobs: blobBytesFor(options.blobDir) };
  const lifecycle = faults({
    migrate: () => migrateSqlite(db),
    async ping() {
      await sql`select 1`.execute(db);
    },
  });

  // Every store is fault-mapped: a file busy past busy_timeout answers 503, as a database away does.
  return {
    name: 'sqlite',
    shares: faults(createSqliteShareStore(database, writes, files)),
    events: faults(createSqliteEventStore(database, db, writes)),
    files: faults(createSqliteFileStore(database, writes, files.steps, files.blobs)),
    locks: mapLockFaults(createSqliteLockStore(database, writes), isSqliteFault),
    users: faults(createSqliteUserStore(database, writes, tokenLookups)),
    settings: faults(createSqliteSettingsStore(database, writes)),
    oauthStates: faults(createSqliteOauthStateStore(database, writes)),
    policies: faults(createSqlitePolicyStore(database, writes)),
    tokens: faults(createSqliteTokenStore(database, writes, tokenLookups)),
    machines: faults(createSqliteMachineStore(database, writes, tokenLookups)),
    secrets: faults(createSqliteSecretStore(database, writes)),
    keyring: faults(createSqliteKeyringStore(database, writes)),
    notifier: createSqliteNotifier(options.logger),
    rateLimits: undefined,
    keyCheck: faults({
      read: async () => keyCheck.read.get({})?.value,
      write: (value: string) => writes.write(() => void keyCheck.write.run({ value })),
    }),
    migrate: lifecycle.migrate,
    ping: lifecycle.ping,
    async close() {
      await writes.drain();
      await checkpointer.stop();
      await db.destroy();
    },
  };
}

/**
 * Switches the file to WAL, once for all processes. The switch takes an exclusive lock and SQLite
 * may answer SQLITE_BUSY at once, without its busy handler, when another process starting at the
 * same moment holds it: retry until the deadline (a blocking wait is fine here, at start-up only).
 */
function enableWal(database: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      if (database.pragma('journal_mode', { simple: true }) !== 'wal') database.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

/**
 * Kysely takes no lock on SQLite, so two processes starting on a fresh file would both create the
 * tables and one would fail. Run the whole migrator inside BEGIN IMMEDIATE instead: the write lock
 * serializes processes (the second waits for it, up to busy_timeout, then finds the work done) and
 * SQLite's transactional DDL makes a failed migration leave nothing half-applied behind.
 */
function migrateSqlite(db: Kysely<SqlSchema>): Promise<void> {
  // Hold Kysely's one connection throughout, so none of its other queries lands in this transaction.
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      // Our transaction is the migration transaction: Kysely must not try to open one of its own.
      const migrator = new Migrator({ db: conn, provider: sqliteMigrations, disableTransactions: true });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error;
      await sql`commit`.execute(conn);
    } catch (error) {
      // SQLite may already have rolled back (e.g. SQLITE_FULL); keep the original error.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
