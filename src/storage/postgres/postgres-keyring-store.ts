import type pg from 'pg';
import type { KeyringStore } from '../keyring-store.js';
import { KEYRING_SQL, keyFromRow } from '../sql/keyring-statements.js';
import { runPostgres } from './postgres-prepared.js';

/** The keyring in PostgreSQL: one prepared statement per call. */
export function createPostgresKeyringStore(pool: pg.Pool): KeyringStore {
  return {
    list: async () => (await runPostgres(pool, KEYRING_SQL.list, {})).rows.map(keyFromRow),
    add: async (key) => (await runPostgres(pool, KEYRING_SQL.add, key)).rowCount === 1,
  };
}
