import type { Database } from 'better-sqlite3';
import type { KeyringStore } from '../keyring-store.js';
import { KEYRING_SQL, keyFromRow } from '../sql/keyring-statements.js';
import { eventInserter } from './sqlite-event-store.js';
import { sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/** The keyring in the SQLite file; writes go through the group-commit queue. */
export function createSqliteKeyringStore(database: Database, writes: WriteQueue): KeyringStore {
  const list = sqlitePrepared(database, KEYRING_SQL.list);
  const add = sqlitePrepared(database, KEYRING_SQL.add);
  const record = eventInserter(database);
  return {
    list: async () => list.all({}).map(keyFromRow),
    // One write job, one savepoint: a failing event insert undoes the key.
    add: (key, events = []) =>
      writes.write(() => {
        const added = add.run(key).changes === 1;
        if (added) record(events);
        return added;
      }),
  };
}
