import type { Database } from 'better-sqlite3';
import type { SecretStore, SecretVersionRecord } from '../secret-store.js';
import {
  READ_COLUMNS,
  type ReadRow,
  readFromRow,
  type SecretRow,
  type SecretVersionRow,
  secretFromRow,
  versionFromRow,
} from '../sql/secret-rows.js';
import { eventInserter } from './sqlite-event-store.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const LIVE = '(expires_at is null or expires_at > @now)';

export const SQL = {
  eraseExpiredName: `delete from secrets where name = @name and expires_at <= @now`,
  // The unique name decides between concurrent creates: the loser inserts nothing.
  insert: `insert into secrets (id, name, current_version, created_at, updated_at, expires_at)
    values (@id, @name, @currentVersion, @createdAt, @updatedAt, @expiresAt)
    on conflict (name) do nothing`,
  insertVersion: `insert into secret_versions (secret_id, version, ciphertext, wrapped_key, key_version, created_at)
    values (@secretId, @version, @ciphertext, @wrappedKey, @keyVersion, @createdAt)`,
  find: `select * from secrets where id = @id and ${LIVE}`,
  findByName: `select * from secrets where name = @name and ${LIVE}`,
  read: `select ${READ_COLUMNS} from secrets s
    join secret_versions v on v.secret_id = s.id and v.version = coalesce(@version, s.current_version)
    where s.id = @id and (s.expires_at is null or s.expires_at > @now)`,
  list: `select * from secrets
    where substr(name, 1, length(@prefix)) = @prefix and name > @after and ${LIVE}
    order by name limit @limit`,
  versions: `select version, key_version, created_at from secret_versions where secret_id = ? order by version`,
  // Under the write lock, so concurrent updates take the next number one after another.
  bump: `update secrets set current_version = current_version + 1, updated_at = @now,
      expires_at = coalesce(@expiresAt, expires_at)
    where id = @id and ${LIVE}
    returning *`,
  prune: `delete from secret_versions where secret_id = ? and version <= ?`,
  delete: `delete from secrets where id = @id and ${LIVE}`,
  purge: `delete from secrets where id in (select id from secrets where expires_at <= @now limit @limit)`,
  stale: `select * from secret_versions
    where key_version < @keyVersion and (secret_id > @secretId or (secret_id = @secretId and version > @version))
    order by secret_id, version limit @limit`,
  rewrap: `update secret_versions set wrapped_key = @wrappedKey, key_version = @keyVersion
    where secret_id = @secretId and version = @version and key_version = @fromKeyVersion`,
} as const;

const versionParams = (v: SecretVersionRecord) => ({
  secretId: v.secretId,
  version: v.version,
  ciphertext: v.ciphertext,
  wrappedKey: v.wrappedKey,
  keyVersion: v.keyVersion,
  createdAt: v.createdAt,
});

/**
 * Secrets in the SQLite file. Reads run at once, each one statement (one snapshot); writes go
 * through the group-commit queue, each as one savepoint under SQLite's write lock.
 */
export function createSqliteSecretStore(database: Database, writes: WriteQueue): SecretStore {
  const stmt = preparedStatements(database, SQL);
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
          stmt('insertVersion').run(versionParams(first));
          record(events);
        }
        return inserted;
      }),
    async find(id, now) {
      const row = stmt('find').get({ id, now }) as SecretRow | undefined;
      return row && secretFromRow(row);
    },
    async findByName(name, now) {
      const row = stmt('findByName').get({ name, now }) as SecretRow | undefined;
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
      const rows = stmt('versions').all(id) as SecretVersionRow[];
      return rows.map((row) => ({
        version: row.version,
        keyVersion: row.key_version,
        createdAt: row.created_at,
      }));
    },
    update: (id, options, seal, events) =>
      writes.write(() => {
        const { now, expiresAt, keep } = options;
        const row = stmt('bump').get({ id, now, expiresAt: expiresAt ?? null }) as SecretRow | undefined;
        if (!row) return undefined;
        const version = row.current_version;
        stmt('insertVersion').run(versionParams({ ...seal(version), secretId: id, version, createdAt: now }));
        stmt('prune').run(id, version - keep);
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
