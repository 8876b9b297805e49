import type { Database } from 'better-sqlite3';
import type { KeyringStore } from '../keyring-store.js';
import type { KeyringTable } from '../sql-schema.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  list: `select version, wrapped_key, created_at from keyring order by version`,
  // The primary key decides between concurrent adds of one version: the loser inserts nothing.
  add: `insert into keyring (version, wrapped_key, created_at) values (?, ?, ?)
    on conflict (version) do nothing`,
} as const;

/** The keyring in the SQLite file; writes go through the group-commit queue. */
export function createSqliteKeyringStore(database: Database, writes: WriteQueue): KeyringStore {
  const stmt = preparedStatements(database, SQL);
  return {
    async list() {
      const rows = stmt('list').all() as KeyringTable[];
      return rows.map((row) => ({
        version: row.version,
        wrappedKey: row.wrapped_key,
        createdAt: row.created_at,
      }));
    },
    add: (key) =>
      writes.write(() => stmt('add').run(key.version, key.wrappedKey, key.createdAt).changes === 1),
  };
}
