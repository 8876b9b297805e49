import type pg from 'pg';
import type { KeyringStore } from '../keyring-store.js';
import type { KeyringTable } from '../sql-schema.js';

const SQL = {
  list: `select version, wrapped_key, created_at from keyring order by version`,
  // The primary key decides between concurrent adds of one version: the loser inserts nothing.
  add: `insert into keyring (version, wrapped_key, created_at) values ($1, $2, $3)
    on conflict (version) do nothing`,
} as const;

/** The keyring in PostgreSQL: one prepared statement per call. */
export function createPostgresKeyringStore(pool: pg.Pool): KeyringStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_keyring_${name}`, text: SQL[name], values });
  return {
    async list() {
      const { rows } = await run<KeyringTable>('list', []);
      return rows.map((row) => ({
        version: row.version,
        wrappedKey: row.wrapped_key,
        createdAt: row.created_at,
      }));
    },
    add: async (key) => (await run('add', [key.version, key.wrappedKey, key.createdAt])).rowCount === 1,
  };
}
