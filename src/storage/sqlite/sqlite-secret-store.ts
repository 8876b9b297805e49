import type { Database } from 'better-sqlite3';
import type { SecretStore } from '../secret-store.js';
import {
  READ_COLUMNS,
  type ReadRow,
  readFromRow,
  type SecretRow,
  type SecretVersionRow,
  secretFromRow,
  versionFromRow,
} from '../sql/secret-rows.js';
import { SECRET_SQL } from '../sql/secret-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements, sqlitePreparedAll } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const LIVE = '(expires_at is null or expires_at > @now)';

/**
 * SQLite's own statements, beside the shared ones (sql/secret-statements.ts): PostgreSQL batches
 * creates and reads (with their events), compares names in the "C" collation and purges with SKIP
 * LOCKED. Exported for the bench (bench/secret-floor.ts runs these, never copies).
 */
export const SQL = {
  eraseExpiredName: `delete from secrets where name = @name and expires_at <= @now`,
  // The unique name decides between concurrent creates: the loser inserts nothing.
  insert: `insert into secrets (id, name, current_version, created_at, updated_at, expires_at)
    values (@id, @name, @currentVersion, @createdAt, @updatedAt, @expiresAt)
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
    where key_version < @keyVersion and (secret_id > @secretId or (secret_id = @secretId and version > @version))
    order by secret_id, version limit @limit`,
  rewrap: `update secret_versions set wrapped_key = @wrappedKey, key_version = @keyVersion
    where secret_id = @secretId and version = @version and key_version = @fromKeyVersion`,
} as const;

/**
 * Secrets in the SQLite file. Reads run at once, each one statement (one snapshot); writes go
 * through the group-commit queue, each as one savepoint under SQLite's write lock.
 */
export function createSqliteSecretStore(database: Database, writes: WriteQueue): SecretStore {
  const stmt = preparedStatements(database, SQL);
  const shared = sqlitePreparedAll(database, SECRET_SQL);
  const record = eventInserter(database);
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
          }).changes === 1;
        if (inserted) {
          shared.insertVersion.run(first);
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
      return shared.versions.all({ id }).map((row) => ({
        version: row.version,
        keyVersion: row.key_version,
        createdAt: row.created_at,
      }));
    },
    update: (id, options, seal, events) =>
      writes.write(() => {
        const { now, expiresAt, keep } = options;
        const row = shared.bump.get({ id, now, expiresAt: expiresAt ?? null });
        if (!row) return undefined;
        const version = row.current_version;
        shared.insertVersion.run({ ...seal(version), secretId: id, version, createdAt: now });
        shared.prune.run({ id, upTo: version - keep });
        record(events?.(version) ?? []);
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
