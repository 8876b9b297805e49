import type pg from 'pg';
import type { SecretStore, SecretVersionRecord } from '../secret-store.js';
import {
  READ_COLUMNS,
  type ReadRow,
  readFromRow,
  type SecretRow,
  type SecretVersionRow,
  secretFromRow,
  versionFromRow,
} from '../sql-secret-row.js';
import { inTransaction } from './postgres-transaction.js';

/** Named columns rather than `*`: a prepared `select *` fails once a migration adds a column. */
const COLUMNS = 'id, name, current_version, created_at, updated_at, expires_at';
const VERSION_COLUMNS = 'secret_id, version, ciphertext, wrapped_key, key_version, created_at';

/**
 * Names and ids compare with the "C" collation, byte by byte as on SQLite, whatever the database's
 * locale. Writes that change two tables run in one transaction; the row lock taken by `bump`
 * serializes concurrent updates of one secret, and the unique name decides between creates.
 */
const SQL = {
  eraseExpiredName: `delete from secrets where name = $1 and expires_at <= $2`,
  insert: `insert into secrets (${COLUMNS}) values ($1, $2, $3, $4, $5, $6) on conflict (name) do nothing`,
  insertVersion: `insert into secret_versions (${VERSION_COLUMNS}) values ($1, $2, $3, $4, $5, $6)`,
  find: `select ${COLUMNS} from secrets where id = $1 and (expires_at is null or expires_at > $2)`,
  findByName: `select ${COLUMNS} from secrets where name = $1 and (expires_at is null or expires_at > $2)`,
  read: `select ${READ_COLUMNS} from secrets s
    join secret_versions v on v.secret_id = s.id and v.version = coalesce($2::integer, s.current_version)
    where s.id = $1 and (s.expires_at is null or s.expires_at > $3)`,
  list: `select ${COLUMNS} from secrets
    where left(name, length($1::text)) = $1::text and name collate "C" > $3 and (expires_at is null or expires_at > $2)
    order by name collate "C" limit $4`,
  versions: `select version, key_version, created_at from secret_versions where secret_id = $1 order by version`,
  bump: `update secrets set current_version = current_version + 1, updated_at = $2,
      expires_at = coalesce($3::bigint, expires_at)
    where id = $1 and (expires_at is null or expires_at > $2)
    returning ${COLUMNS}`,
  prune: `delete from secret_versions where secret_id = $1 and version <= $2`,
  delete: `delete from secrets where id = $1 and (expires_at is null or expires_at > $2)`,
  // SKIP LOCKED: concurrent sweepers take disjoint batches; the CTE is evaluated once.
  purge: `with batch as (
      select id from secrets where expires_at <= $1 limit $2 for update skip locked)
    delete from secrets s using batch where s.id = batch.id`,
  stale: `select ${VERSION_COLUMNS} from secret_versions
    where key_version < $1 and (secret_id collate "C", version) > ($2, $3)
    order by secret_id collate "C", version limit $4`,
  rewrap: `update secret_versions v set wrapped_key = m.wrapped_key, key_version = m.key_version
    from unnest($1::text[], $2::integer[], $3::integer[], $4::bytea[], $5::integer[])
      as m(secret_id, version, from_key_version, wrapped_key, key_version)
    where v.secret_id = m.secret_id and v.version = m.version and v.key_version = m.from_key_version`,
} as const;

type StatementName = keyof typeof SQL;

const versionValues = (v: SecretVersionRecord) => [
  v.secretId,
  v.version,
  v.ciphertext,
  v.wrappedKey,
  v.keyVersion,
  v.createdAt,
];

/** Secrets in PostgreSQL: named prepared statements, on the pool or on a transaction's connection. */
export function createPostgresSecretStore(pool: pg.Pool): SecretStore {
  const run = <R extends pg.QueryResultRow>(
    name: StatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_secret_${name}`, text: SQL[name], values });

  return {
    create: (secret, first, now) =>
      inTransaction(pool, async (client) => {
        await run('eraseExpiredName', [secret.name, now], client);
        const { rowCount } = await run(
          'insert',
          [
            secret.id,
            secret.name,
            secret.currentVersion,
            secret.createdAt,
            secret.updatedAt,
            secret.expiresAt ?? null,
          ],
          client,
        );
        if (rowCount !== 1) return false;
        await run('insertVersion', versionValues(first), client);
        return true;
      }),
    async find(id, now) {
      const row = (await run<SecretRow>('find', [id, now])).rows[0];
      return row && secretFromRow(row);
    },
    async findByName(name, now) {
      const row = (await run<SecretRow>('findByName', [name, now])).rows[0];
      return row && secretFromRow(row);
    },
    async read(id, version, now) {
      const row = (await run<ReadRow>('read', [id, version ?? null, now])).rows[0];
      return row && readFromRow(row);
    },
    async listByPrefix(prefix, now, afterName, limit) {
      const { rows } = await run<SecretRow>('list', [prefix, now, afterName ?? '', limit]);
      return rows.map(secretFromRow);
    },
    async versions(id) {
      const { rows } = await run<SecretVersionRow>('versions', [id]);
      return rows.map((row) => ({
        version: row.version,
        keyVersion: row.key_version,
        createdAt: row.created_at,
      }));
    },
    update: (id, options, seal) =>
      inTransaction(pool, async (client) => {
        const { now, expiresAt, keep } = options;
        const row = (await run<SecretRow>('bump', [id, now, expiresAt ?? null], client)).rows[0];
        if (!row) return undefined;
        const version = row.current_version;
        await run(
          'insertVersion',
          versionValues({ ...seal(version), secretId: id, version, createdAt: now }),
          client,
        );
        await run('prune', [id, version - keep], client);
        return secretFromRow(row);
      }),
    delete: async (id, now) => (await run('delete', [id, now])).rowCount === 1,
    purgeExpired: async (now, limit) => (await run('purge', [now, limit])).rowCount ?? 0,
    async staleVersions(keyVersion, after, limit) {
      const { rows } = await run<SecretVersionRow>('stale', [
        keyVersion,
        after?.secretId ?? '',
        after?.version ?? 0,
        limit,
      ]);
      return rows.map(versionFromRow);
    },
    async rewrap(moves) {
      if (moves.length === 0) return 0;
      const { rowCount } = await run('rewrap', [
        moves.map((m) => m.secretId),
        moves.map((m) => m.version),
        moves.map((m) => m.fromKeyVersion),
        moves.map((m) => m.wrappedKey),
        moves.map((m) => m.keyVersion),
      ]);
      return rowCount ?? 0;
    },
  };
}
