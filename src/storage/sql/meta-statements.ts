import { statement } from './sql-statement.js';

/** Rows of the `meta` table both dialects read and write. */
export const META_SQL = {
  /** The settings version, bumped by every change (0 while no row exists). */
  settingsVersion: statement()('meta_settings_version', (db) =>
    db
      .selectFrom('meta')
      .select((eb) => eb.cast<number>('value', 'bigint').as('version'))
      .where('key', '=', 'settings_version'),
  ),
  /** The value that proves which master key the data was written with. */
  readKeyCheck: statement()('meta_read_key_check', (db) =>
    db.selectFrom('meta').select('value').where('key', '=', 'key_check'),
  ),
  // First writer wins: two nodes starting on a fresh database must agree on one key.
  writeKeyCheck: statement<{ value: string }>()('meta_write_key_check', (db, p) =>
    db
      .insertInto('meta')
      .values({ key: 'key_check', value: p('value') })
      .onConflict((conflict) => conflict.column('key').doNothing()),
  ),
} as const;
