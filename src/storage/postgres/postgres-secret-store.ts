import type pg from 'pg';
import type { AuditEvent } from '../../audit/audit-types.js';
import type { SecretRecord, SecretStore, SecretVersionRecord } from '../secret-store.js';
import {
  READ_COLUMNS,
  type ReadRow,
  readFromRow,
  type SecretRow,
  type SecretVersionRow,
  secretFromRow,
  settingsParams,
  versionFromRow,
  versionInfoFromRow,
} from '../sql/secret-rows.js';
import { SECRET_COLUMNS, SECRET_SQL } from '../sql/secret-statements.js';
import { createBatcher } from './postgres-batcher.js';
import { eventParams, insertEvents, ownedBy } from './postgres-event-rows.js';
import { isPostgresFault } from './postgres-faults.js';
import { runPostgres } from './postgres-prepared.js';
import { postgresSecretVersionWrites } from './postgres-secret-store-versions.js';

/** Named columns rather than `*`: a prepared `select *` fails once a migration adds a column. */
const COLUMNS = SECRET_COLUMNS.join(', ');
const VERSION_COLUMNS = 'secret_id, version, ciphertext, wrapped_key, key_version, created_at';
const VERSION_READ_COLUMNS = `${VERSION_COLUMNS}, deleted_at, destroyed_at`;

/**
 * Names and ids compare with the "C" collation, byte by byte as on SQLite, whatever the database's
 * locale. Creates and reads of one event-loop turn share one statement each (postgres-batcher.ts);
 * updates, version changes and settings run in transactions under the secret's row lock
 * (postgres-secret-store-versions.ts). The unique name decides between creates.
 */
const SQL = {
  /**
   * PostgreSQL's own statements, beside the shared ones (sql/secret-statements.ts).
   *
   * A batch of creates as one atomic statement: erase expired secrets holding the names, insert the
   * secrets whose names are free, then their first versions (version 0: none) and audit events;
   * returns the ids stored. Reading `erased` makes the erase run before the insert, whose conflict
   * check then sees the name free. Every data-modifying CTE runs, read or not.
   */
  create: `with input as (
      select * from unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::bigint[],
        $6::bigint[], $7::integer[], $8::bytea[], $9::bytea[], $10::integer[], $11::bigint[], $12::bigint[],
        $13::integer[], $14::integer[], $15::integer[], $16::text[])
        as i(id, name, current_version, created_at, updated_at, expires_at,
          version, ciphertext, wrapped_key, key_version, version_created_at, now,
          max_versions, cas_required, delete_version_after_seconds, custom_metadata)),
    erased as (
      delete from secrets where id in (
        select s.id from secrets s join input i on s.name = i.name and s.expires_at <= i.now
        -- Rows locked in one order, so two nodes' batches cannot deadlock on them.
        order by s.name collate "C" for update of s)
      returning id),
    inserted as (
      insert into secrets (${COLUMNS})
      select id, name, current_version, created_at, updated_at, expires_at,
        max_versions, cas_required, delete_version_after_seconds, custom_metadata from input
      where (select count(*) from erased) >= 0
      order by name collate "C"
      on conflict (name) do nothing
      returning id),
    versions as (
      insert into secret_versions (${VERSION_COLUMNS})
      select i.id, i.version, i.ciphertext, i.wrapped_key, i.key_version, i.version_created_at
      from input i join inserted using (id) where i.version > 0
      returning secret_id),
    logged as (${insertEvents(17, 'join inserted on inserted.id = e.owner')})
    select id from inserted`,
  // Batched: r.ord says which request each row answers.
  read: `select r.ord, ${READ_COLUMNS}
    from unnest($1::text[], $2::integer[], $3::bigint[]) with ordinality as r(id, version, now, ord)
    join secrets s on s.id = r.id
    join secret_versions v on v.secret_id = s.id and v.version = coalesce(r.version, s.current_version)
    where s.expires_at is null or s.expires_at > r.now`,
  list: `select ${COLUMNS} from secrets
    where left(name, length($1::text)) = $1::text and name collate "C" > $3 and (expires_at is null or expires_at > $2)
    order by name collate "C" limit $4`,
  delete: `with gone as (
      delete from secrets where id = $1 and (expires_at is null or expires_at > $2) returning id),
    logged as (${insertEvents(3, 'join gone on gone.id = e.owner')})
    select count(*)::int as deleted from gone`,
  // SKIP LOCKED: concurrent sweepers take disjoint batches; the CTE is evaluated once.
  purge: `with batch as (
      select id from secrets where expires_at <= $1 limit $2 for update skip locked)
    delete from secrets s using batch where s.id = batch.id`,
  stale: `select ${VERSION_READ_COLUMNS} from secret_versions
    where key_version < $1 and destroyed_at is null and (secret_id collate "C", version) > ($2, $3)
    order by secret_id collate "C", version limit $4`,
  rewrap: `update secret_versions v set wrapped_key = m.wrapped_key, key_version = m.key_version
    from unnest($1::text[], $2::integer[], $3::integer[], $4::bytea[], $5::integer[])
      as m(secret_id, version, from_key_version, wrapped_key, key_version)
    where v.secret_id = m.secret_id and v.version = m.version and v.key_version = m.from_key_version
      and v.destroyed_at is null`,
} as const;

type StatementName = keyof typeof SQL;

/** What a secret of settings only (version 0) binds for the first version it does not have. */
const NO_CONTENT = Buffer.alloc(0);

/** Secrets in PostgreSQL: named prepared statements, on the pool or on a transaction's connection. */
export function createPostgresSecretStore(pool: pg.Pool): SecretStore {
  const run = <R extends pg.QueryResultRow>(
    name: StatementName,
    values: unknown[],
    on: pg.Pool | pg.PoolClient = pool,
  ) => on.query<R>({ name: `hush_secret_${name}`, text: SQL[name], values });

  type NewSecret = {
    secret: SecretRecord;
    first: SecretVersionRecord | undefined;
    now: number;
    events: readonly AuditEvent[];
  };
  const create = createBatcher<NewSecret, boolean>({
    isFault: isPostgresFault,
    // Two creates of one name never share a statement: each gets its own answer to "was it free?".
    key: (item) => item.secret.name,
    async flush(items) {
      const column = <V>(pick: (item: NewSecret) => V) => items.map(pick);
      const settings = items.map((item) => settingsParams(item.secret));
      const { rows } = await run<{ id: string }>('create', [
        column((i) => i.secret.id),
        column((i) => i.secret.name),
        column((i) => i.secret.currentVersion),
        column((i) => i.secret.createdAt),
        column((i) => i.secret.updatedAt),
        column((i) => i.secret.expiresAt ?? null),
        column((i) => i.first?.version ?? 0),
        column((i) => i.first?.ciphertext ?? NO_CONTENT),
        column((i) => i.first?.wrappedKey ?? NO_CONTENT),
        column((i) => i.first?.keyVersion ?? 0),
        column((i) => i.first?.createdAt ?? i.now),
        column((i) => i.now),
        settings.map((s) => s.maxVersions),
        settings.map((s) => s.casRequired),
        settings.map((s) => s.deleteVersionAfterSeconds),
        settings.map((s) => s.customMetadata),
        ...eventParams(items.flatMap((i) => ownedBy(i.secret.id, i.events))),
      ]);
      const stored = new Set(rows.map((row) => row.id));
      return items.map((item) => stored.has(item.secret.id));
    },
  });

  type ReadRequest = { id: string; version: number | undefined; now: number };
  const read = createBatcher<ReadRequest, ReturnType<typeof readFromRow> | undefined>({
    isFault: isPostgresFault,
    async flush(requests) {
      const { rows } = await run<ReadRow & { ord: number }>('read', [
        requests.map((r) => r.id),
        requests.map((r) => r.version ?? null),
        requests.map((r) => r.now),
      ]);
      const found = new Map(rows.map((row) => [row.ord, row]));
      return requests.map((_, i) => {
        const row = found.get(i + 1);
        return row && readFromRow(row);
      });
    },
  });

  return {
    ...postgresSecretVersionWrites(pool),
    create: (secret, first, now, events = []) => create({ secret, first, now, events }),
    async find(id, now) {
      const row = (await runPostgres(pool, SECRET_SQL.find, { id, now })).rows[0];
      return row && secretFromRow(row);
    },
    async findByName(name, now) {
      const row = (await runPostgres(pool, SECRET_SQL.findByName, { name, now })).rows[0];
      return row && secretFromRow(row);
    },
    read: (id, version, now) => read({ id, version, now }),
    async listByPrefix(prefix, now, afterName, limit) {
      const { rows } = await run<SecretRow>('list', [prefix, now, afterName ?? '', limit]);
      return rows.map(secretFromRow);
    },
    async versions(id) {
      const { rows } = await runPostgres(pool, SECRET_SQL.versions, { id });
      return rows.map(versionInfoFromRow);
    },
    delete: async (id, now, events = []) =>
      (await run<{ deleted: number }>('delete', [id, now, ...eventParams(ownedBy(id, events))])).rows[0]
        ?.deleted === 1,
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
