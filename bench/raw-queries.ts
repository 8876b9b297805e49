import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * The raw storage work behind the PostgreSQL and Redis baselines: for each backend, the one query a
 * share create or reveal boils down to, with nothing of hush around it (no crypto, no audit event,
 * no validation, no logging). bench/raw-query-server.ts serves these over HTTP.
 *
 * Not a copy of hush's statements, on purpose: this is the bare baseline hush is judged against, so
 * it runs the least a create or reveal can be (one INSERT / DELETE … RETURNING on a table of its own,
 * one SET / GETDEL, no Lua) rather than hush's statements, scripts, schema and indexes. Importing
 * those would make the baseline follow hush and the ratio stop measuring hush's overhead.
 */
export const RAW_BACKENDS = ['postgres', 'redis'] as const;
export type RawBackend = (typeof RAW_BACKENDS)[number];

/** What each baseline route runs, for labels in the report. */
export const RAW_QUERIES: Record<RawBackend, { readonly create: string; readonly reveal: string }> = {
  postgres: { create: 'INSERT', reveal: 'DELETE … RETURNING' },
  redis: { create: 'SET … PX', reveal: 'GETDEL' },
};

export interface RawQueries {
  /** Stores one share-shaped row for a secret of `secretBytes` bytes; returns its id. */
  create(secretBytes: number): Promise<string>;
  /** Removes the row and returns its content; undefined when there is none. */
  reveal(id: string): Promise<Buffer | undefined>;
  /** Stores `count` rows in bulk (the reveal baseline's targets); returns their ids. */
  seed(count: number, secretBytes: number): Promise<string[]>;
  close(): Promise<void>;
}

/** hush's envelope around a plaintext (src/crypto/aead.ts): version byte, 12-byte nonce, 16-byte tag. */
const ENVELOPE_BYTES = 1 + 12 + 16;
/** hush's default share TTL (HUSH_SHARE_TTL_DEFAULT_SECONDS). */
const TTL_MS = 86_400_000;
/** hush's default pool size (HUSH_DATABASE_POOL_MAX) and query timeout (HUSH_DATABASE_QUERY_TIMEOUT_MS). */
const POOL_MAX = 10;
const QUERY_TIMEOUT_MS = 5000;
const SEED_BATCH = 5000;

/**
 * One share-shaped row from a single random draw: a 16-byte id and a 32-byte hash, both base64url
 * like hush's, and random bytes the size of hush's ciphertext for the same secret.
 */
function newRow(secretBytes: number) {
  const bytes = randomBytes(16 + 32 + secretBytes + ENVELOPE_BYTES);
  return {
    id: bytes.subarray(0, 16).toString('base64url'),
    hash: bytes.subarray(16, 48).toString('base64url'),
    ciphertext: bytes.subarray(48),
    expiresAt: Date.now() + TTL_MS,
  };
}

export function openRawQueries(backend: RawBackend, url: string): Promise<RawQueries> {
  return backend === 'postgres' ? openPostgres(url) : openRedis(url);
}

/** Named like hush's share columns; a primary key and a unique hash index, as hush's `shares` has. */
const SQL = {
  table: `create table if not exists raw_shares (
      id text primary key,
      token_hash text not null unique,
      ciphertext bytea not null,
      expires_at bigint not null)`,
  insert: 'insert into raw_shares (id, token_hash, ciphertext, expires_at) values ($1, $2, $3, $4)',
  reveal: 'delete from raw_shares where id = $1 returning ciphertext',
  seed: `insert into raw_shares (id, token_hash, ciphertext, expires_at)
    select * from unnest($1::text[], $2::text[], $3::bytea[], $4::int8[])`,
} as const;

/** Its own pg.Pool sized and bounded like hush's; named (prepared) statements, as hush uses. */
async function openPostgres(url: string): Promise<RawQueries> {
  const pool = new pg.Pool({
    connectionString: url,
    max: POOL_MAX,
    query_timeout: QUERY_TIMEOUT_MS,
    statement_timeout: QUERY_TIMEOUT_MS,
    keepAlive: true,
    application_name: 'hush-bench-raw',
  });
  pool.on('error', () => undefined);
  await pool.query(SQL.table);
  return {
    async create(secretBytes) {
      const row = newRow(secretBytes);
      await pool.query({
        name: 'raw_insert',
        text: SQL.insert,
        values: [row.id, row.hash, row.ciphertext, row.expiresAt],
      });
      return row.id;
    },
    async reveal(id) {
      const { rows } = await pool.query<{ ciphertext: Buffer }>({
        name: 'raw_reveal',
        text: SQL.reveal,
        values: [id],
      });
      return rows[0]?.ciphertext;
    },
    async seed(count, secretBytes) {
      const ids: string[] = [];
      while (ids.length < count) {
        const rows = Array.from({ length: Math.min(SEED_BATCH, count - ids.length) }, () =>
          newRow(secretBytes),
        );
        await pool.query(SQL.seed, [
          rows.map((r) => r.id),
          rows.map((r) => r.hash),
          rows.map((r) => r.ciphertext),
          rows.map((r) => r.expiresAt),
        ]);
        for (const r of rows) ids.push(r.id);
      }
      return ids;
    },
    close: () => pool.end(),
  };
}

const REDIS_PREFIX = 'raw:';

/** One ioredis client with hush's settings (src/storage/redis/redis-client.ts), keys under raw:. */
async function openRedis(url: string): Promise<RawQueries> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2000,
    commandTimeout: 2000,
  });
  redis.on('error', () => undefined);
  await redis.connect();
  return {
    async create(secretBytes) {
      const row = newRow(secretBytes);
      await redis.set(REDIS_PREFIX + row.id, row.ciphertext, 'PX', TTL_MS);
      return row.id;
    },
    reveal: async (id) => (await redis.getdelBuffer(REDIS_PREFIX + id)) ?? undefined,
    async seed(count, secretBytes) {
      const ids: string[] = [];
      while (ids.length < count) {
        const pipeline = redis.pipeline();
        for (let i = Math.min(SEED_BATCH, count - ids.length); i > 0; i -= 1) {
          const row = newRow(secretBytes);
          pipeline.set(REDIS_PREFIX + row.id, row.ciphertext, 'PX', TTL_MS);
          ids.push(row.id);
        }
        const results = (await pipeline.exec()) ?? [];
        const failed = results.find(([error]) => error);
        if (failed) throw failed[0];
      }
      return ids;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
