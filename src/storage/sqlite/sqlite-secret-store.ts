import type { Database } from 'better-sqlite3';
import type { ChangeEvents, SecretStore, UpdateResult, VersionTarget } from '../secret-store.js';
import {
  READ_COLUMNS,
  type ReadRow,
  readFromRow,
  type SecretRow,
  type SecretVersionRow,
  secretFromRow,
  settingsOver,
  settingsParams,
  versionFromRow,
  versionInfoFromRow,
} from '../sql/secret-rows.js';
import { pruneUpTo, SECRET_SQL } from '../sql/secret-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePreparedAll } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const LIVE = '(expires_at is null or expires_at > @now)';
/** A version list arrives as JSON text: SQLite binds no arrays. */
const LISTED = 'secret_id = @id and version in (select value from json_each(@versions))';

/**
 * SQLite's own statements, beside the shared ones (sql/secret-statements.ts): PostgreSQL batches
 * creates and reads (with their events), compares names in the "C" collation, purges with SKIP
 * LOCKED and binds version lists as arrays. Exported for the bench (bench/secret-floor.ts runs
 * these, never copies).
 */
export const SQL = {
  eraseExpiredName: `delete from secrets where name = @name and expires_at <= @now`,
  // The unique name decides between concurrent creates: the loser inserts nothing.
  insert: `insert into secrets (id, name, current_version, created_at, updated_at, expires_at,
      max_versions, cas_required, delete_version_after_seconds, custom_metadata)
    values (@id, @name, @currentVersion, @createdAt, @updatedAt, @expiresAt,
      @maxVersions, @casRequired, @deleteVersionAfterSeconds, @customMetadata)
    on conflict (name) do nothing`,
  read: `select ${READ_COLUMNS} from secrets s
    join secret_versions v on v.secret_id = s.id and v.version = coalesce(@version, s.current_version)
    where s.id = @id and (s.expires_at is null or s.expires_at > @now)`,
  list: `select * from secrets
    where substr(name, 1, length(@prefix)) = @prefix and name > @after and ${LIVE}
    order by name limit @limit`,
  delete: `delete from secrets where id = @id and ${LIVE}`,
  purge: `delete from secrets where id in (select id from secrets where expires_at <= @now limit @limit)`,
  stale: `select * from secret_versions
    where key_version < @keyVersion and destroyed_at is null
      and (secret_id > @secretId or (secret_id = @secretId and version > @version))
    order by secret_id, version limit @limit`,
  rewrap: `update secret_versions set wrapped_key = @wrappedKey, key_version = @keyVersion
    where secret_id = @secretId and version = @version and key_version = @fromKeyVersion
      and destroyed_at is null`,
  softDelete: `update secret_versions set deleted_at = @now
    where ${LISTED} and deleted_at is null and destroyed_at is null returning version`,
  undelete: `update secret_versions set deleted_at = null
    where ${LISTED} and deleted_at is not null and destroyed_at is null returning version`,
  // Overwritten in the row; secure_delete (sqlite-storage.ts) zeroes the freed bytes in the file.
  destroy: `update secret_versions set ciphertext = x'', wrapped_key = x'', destroyed_at = @now
    where ${LISTED} and destroyed_at is null returning version`,
} as const;

/**
 * Secrets in the SQLite file. Reads run at once, each one statement (one snapshot); writes go
 * through the group-commit queue, each as one savepoint under SQLite's write lock, which is what
 * makes each of them atomic and serializes them against every other node on the file.
 */
export function createSqliteSecretStore(database: Database, writes: WriteQueue): SecretStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, SECRET_SQL);
  const record = eventInserter(database);

  /** Finds the live secret, changes the listed versions and records their events, in one job. */
  const changeVersions =
    (name: 'softDelete' | 'undelete' | 'destroy') =>
    (id: string, versions: VersionTarget, now: number, events: ChangeEvents) =>
      writes.write(() => {
        const secret = shared.find.get({ id, now });
        if (!secret) return undefined;
        const listed = versions === 'latest' ? [secret.current_version] : versions;
        const rows = stmt(name).all({ id, now, versions: JSON.stringify(listed) }) as { version: number }[];
        const changed = rows.map((row) => row.version).sort((a, b) => a - b);
        if (changed.length > 0) record(events(changed));
        return changed;
      });

  return {
    create: (secret, first, now, events = []) =>
      writes.write(() => {
        stmt('eraseExpiredName').run({ name: secret.name, now });
        const inserted =
          stmt('insert').run({
            id: secret.id,
            name: secret.name,
            currentVersion: secret.currentVersion,
            createdAt: secret.createdAt,
            updatedAt: secret.updatedAt,
            expiresAt: secret.expiresAt ?? null,
            ...settingsParams(secret),
          }).changes === 1;
        if (inserted) {
          if (first) shared.insertVersion.run(first);
          record(events);
        }
        return inserted;
      }),
    async find(id, now) {
      const row = shared.find.get({ id, now });
      return row && secretFromRow(row);
    },
    async findByName(name, now) {
      const row = shared.findByName.get({ name, now });
      return row && secretFromRow(row);
    },
    async read(id, version, now) {
      const row = stmt('read').get({ id, version: version ?? null, now }) as ReadRow | undefined;
      return row && readFromRow(row);
    },
    async listByPrefix(prefix, now, afterName, limit) {
      const rows = stmt('list').all({ prefix, now, after: afterName ?? '', limit }) as SecretRow[];
      return rows.map(secretFromRow);
    },
    async versions(id) {
      return shared.versions.all({ id }).map(versionInfoFromRow);
    },
    update: (id, options, seal, events) =>
      writes.write((): UpdateResult => {
        const { now, expiresAt, keep, cas, previous } = options;
        const row = shared.bump.get({ id, now, expiresAt: expiresAt ?? null, cas: cas ?? null });
        if (!row) {
          // Matched no row: gone, or its cas (given, or required and missing) does not hold.
          const current = shared.find.get({ id, now });
          return current
            ? { status: 'cas_mismatch', currentVersion: current.current_version }
            : { status: 'not_found' };
        }
        const version = row.current_version;
        const before = previous ? shared.version.get({ id, version: version - 1 }) : undefined;
        const content = seal(version, before && versionFromRow(before));
        shared.insertVersion.run({ ...content, secretId: id, version, createdAt: now });
        shared.prune.run({ id, upTo: pruneUpTo(row, keep) });
        record(events?.(version) ?? []);
        return { status: 'written', secret: secretFromRow(row) };
      }),
    deleteVersions: changeVersions('softDelete'),
    undeleteVersions: changeVersions('undelete'),
    destroyVersions: changeVersions('destroy'),
    setSettings: (id, settings, { now, keep }, events = []) =>
      writes.write(() => {
        // Inside the write job: nothing comes between reading the labels and writing their merge.
        const stored = settings.mergeCustomMetadata ? shared.find.get({ id, now }) : undefined;
        const given = settingsOver(settings, stored);
        if (!given) return undefined;
        const row = shared.setSettings.get({ id, now, ...settingsParams(given) });
        if (!row) return undefined;
        shared.prune.run({ id, upTo: pruneUpTo(row, keep) });
        record(events);
        return secretFromRow(row);
      }),
    delete: (id, now, events = []) =>
      writes.write(() => {
        const deleted = stmt('delete').run({ id, now }).changes === 1;
        if (deleted) record(events);
        return deleted;
      }),
    purgeExpired: (now, limit) => writes.write(() => stmt('purge').run({ now, limit }).changes),
    async staleVersions(keyVersion, after, limit) {
      const rows = stmt('stale').all({
        keyVersion,
        secretId: after?.secretId ?? '',
        version: after?.version ?? 0,
        limit,
      }) as SecretVersionRow[];
      return rows.map(versionFromRow);
    },
    rewrap: (moves) =>
      writes.write(() => {
        let moved = 0;
        for (const move of moves) moved += stmt('rewrap').run({ ...move }).changes;
        return moved;
      }),
  };
}
