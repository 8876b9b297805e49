import type { KeyRecord } from '../keyring-store.js';
import { type RowOf, statement } from './sql-statement.js';

/** The secret store's keyring, for both dialects. */
export const KEYRING_SQL = {
  list: statement()('keyring_list', (db) =>
    db.selectFrom('keyring').select(['version', 'wrapped_key', 'created_at']).orderBy('version'),
  ),
  // The primary key decides between concurrent adds of one version: the loser inserts nothing.
  add: statement<{ version: number; wrappedKey: Buffer; createdAt: number }>()('keyring_add', (db, p) =>
    db
      .insertInto('keyring')
      .values({ version: p('version'), wrapped_key: p('wrappedKey'), created_at: p('createdAt') })
      .onConflict((conflict) => conflict.column('version').doNothing()),
  ),
} as const;

/** A `keyring` row as the store's record. */
export function keyFromRow(row: RowOf<typeof KEYRING_SQL.list>): KeyRecord {
  return { version: row.version, wrappedKey: row.wrapped_key, createdAt: row.created_at };
}
