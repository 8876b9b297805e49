import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { type PostgresServer, startPostgresServer } from '../servers/postgres-server.js';
import { type RedisServer, startRedisServer } from '../servers/redis-server.js';
import { type AtRest, readTree } from './needles.js';

/** The storage setups test/no-leak.test.ts runs its scenario on. */
export type StorageSetup = 'sqlite' | 'postgres' | 'postgres+redis';

/** What `read()` covers, per setup, for test titles. */
export const PLACES: Readonly<Record<StorageSetup, string>> = {
  sqlite: 'hush.db, -wal and -shm',
  postgres: 'the PostgreSQL data directory (pg_wal included)',
  'postgres+redis': 'the PostgreSQL data directory, the Redis AOF, dump.rdb and key values',
};

/**
 * The storage one hush process writes to, on servers of its own, and every byte of it at rest:
 * places are named `hush.db…` (SQLite), `pgdata/<path>` (a file under PGDATA), `redis/<path>` (a
 * file under Redis' --dir) or `redis key <name>` (a key with its value, read through a client).
 */
export interface StorageUnderTest {
  readonly name: StorageSetup;
  /** HUSH_* settings for this storage (the caller adds HUSH_DATA_DIR and the rest). */
  readonly env: Record<string, string>;
  /** The master key hush encrypts with, as text (the key file's for SQLite, HUSH_MASTER_KEY otherwise). */
  masterKey(): string;
  /** Flushes what the servers hold in memory to their files (CHECKPOINT, SAVE), then reads every place. */
  read(): Promise<AtRest>;
  /** Write-ahead or append-only logs: each filter must select a non-empty place once the run wrote. */
  readonly logs: readonly RegExp[];
  /**
   * Where the data hush keeps in clear (share ids) must show up, proof the reads see the run:
   * the places each filter selects must together hold every share id. The first `stopped` filter
   * selects where the audit events are, which also hold the user agent.
   */
  readonly clearIn: { readonly running: readonly RegExp[]; readonly stopped: readonly RegExp[] };
  /** Filters each selecting places that must hold the ids of the shares still pending (live keys). */
  readonly pendingIn: readonly RegExp[];
  /** Stores `text` in clear beside hush's data (a scratch table, a key); `read()` then sees it. */
  plant(text: string): Promise<void>;
  /** Where a planted text must then be found: each filter must select a place holding it. */
  readonly plantedIn: readonly RegExp[];
  destroy(): Promise<void>;
}

export function openStorage(name: StorageSetup, dataDir: string): Promise<StorageUnderTest> {
  return name === 'sqlite' ? Promise.resolve(sqlite(dataDir)) : serverStorage(name === 'postgres+redis');
}

function sqlite(dataDir: string): StorageUnderTest {
  const file = path.join(dataDir, 'hush.db');
  return {
    name: 'sqlite',
    env: {},
    masterKey: () => readFileSync(path.join(dataDir, 'master.key'), 'utf8').trim(),
    async read() {
      const places: AtRest = new Map();
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) places.set(`hush.db${suffix}`, readFileSync(file + suffix));
      }
      if (!places.has('hush.db')) throw new Error(`no hush.db in ${dataDir}`);
      return places;
    },
    logs: [/^hush\.db-wal$/],
    // After shutdown the WAL is checkpointed into hush.db, which alone must then hold everything.
    clearIn: { running: [/^hush\.db(-wal)?$/], stopped: [/^hush\.db$/] },
    pendingIn: [],
    async plant(text) {
      const db = new Database(file);
      try {
        db.exec('create table no_leak_plant (t text)');
        db.prepare('insert into no_leak_plant values (?)').run(text);
      } finally {
        db.close(); // the last connection checkpoints the WAL into hush.db
      }
    },
    plantedIn: [/^hush\.db$/],
    destroy: async () => undefined,
  };
}

/** Type → command reading a Redis value in clear (DUMP, for other types, may be compressed). */
const READ_VALUE: Record<string, readonly (string | number)[]> = {
  string: ['GET'],
  hash: ['HGETALL'],
  list: ['LRANGE', 0, -1],
  set: ['SMEMBERS'],
  zset: ['ZRANGE', 0, -1, 'WITHSCORES'],
};

function buffers(reply: unknown): Buffer[] {
  if (Buffer.isBuffer(reply)) return [reply];
  if (Array.isArray(reply)) return reply.flatMap(buffers);
  return reply === null || reply === undefined ? [] : [Buffer.from(String(reply))];
}

/** Every key of `client` with its value, as `redis key <name>` → name and value bytes. */
async function redisValues(client: Redis): Promise<AtRest> {
  const places: AtRest = new Map();
  for (const key of await client.keysBuffer('*')) {
    const read = READ_VALUE[await client.type(key)];
    const reply = read
      ? await client.callBuffer(read[0] as string, key, ...read.slice(1))
      : await client.dumpBuffer(key);
    places.set(`redis key ${key.toString('latin1')}`, Buffer.concat([key, ...buffers(reply)]));
  }
  return places;
}

/** Dedicated PostgreSQL (and, with `withRedis`, Redis with the AOF on and share content in it). */
async function serverStorage(withRedis: boolean): Promise<StorageUnderTest> {
  let postgres: PostgresServer | undefined;
  let redis: RedisServer | undefined;
  let client: Redis | undefined;
  const destroy = async () => {
    client?.disconnect();
    await Promise.all([postgres?.destroy(), redis?.destroy()]);
  };
  try {
    postgres = await startPostgresServer();
    const databaseUrl = await postgres.createDatabase();
    const masterKey = randomBytes(32).toString('hex');
    const env: Record<string, string> = { HUSH_DATABASE_URL: databaseUrl, HUSH_MASTER_KEY: masterKey };
    if (withRedis) {
      redis = await startRedisServer({ persistent: true });
      client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      // dump.rdb as written by SAVE below, strings uncompressed so that a search can find them.
      await client.config('SET', 'rdbcompression', 'no');
      Object.assign(env, { HUSH_REDIS_URL: redis.url, HUSH_SHARE_STORE: 'redis' });
    }
    const pgServer = postgres;
    const inClear = [
      /^pgdata\/base\//,
      /^pgdata\/pg_wal\//,
      ...(withRedis ? [/^redis\/appendonlydir\//] : []),
    ];
    const sql = async (url: string, ...statements: Array<[string, unknown[]?]>) => {
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        for (const [text, values] of statements) await db.query(text, values);
      } finally {
        await db.end();
      }
    };
    return {
      name: withRedis ? 'postgres+redis' : 'postgres',
      env,
      masterKey: () => masterKey,
      async read() {
        // Dirty pages to the relation files, as superuser `hush` (the WAL is written already).
        await sql(pgServer.url(), ['checkpoint']);
        const places = readTree(pgServer.dataDir, 'pgdata/');
        if (redis && client) {
          await client.save();
          for (const [place, bytes] of readTree(redis.dir, 'redis/')) places.set(place, bytes);
          for (const [place, bytes] of await redisValues(client)) places.set(place, bytes);
        }
        return places;
      },
      logs: withRedis
        ? [/^pgdata\/pg_wal\//, /^redis\/appendonlydir\/.*\.incr\.aof$/]
        : [/^pgdata\/pg_wal\//],
      // Relation files (after the CHECKPOINT) and WAL each; every change to Redis is in the AOF.
      clearIn: { running: inClear, stopped: inClear },
      pendingIn: withRedis ? [/^redis key /, /^redis\/dump\.rdb$/] : [],
      async plant(text) {
        await sql(
          databaseUrl,
          ['create table no_leak_plant (t text)'],
          ['insert into no_leak_plant values ($1)', [text]],
        );
        await client?.set('no-leak-plant', text);
      },
      plantedIn: withRedis
        ? [
            /^pgdata\/base\//,
            /^pgdata\/pg_wal\//,
            /^redis\/appendonlydir\//,
            /^redis\/dump\.rdb$/,
            /^redis key /,
          ]
        : [/^pgdata\/base\//, /^pgdata\/pg_wal\//],
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
