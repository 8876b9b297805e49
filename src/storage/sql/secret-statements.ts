import type { ExpressionBuilder } from 'kysely';
import type { SqlSchema } from './schema.js';
import { statement } from './sql-statement.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const SECRET_COLUMNS = [
  'id',
  'name',
  'current_version',
  'created_at',
  'updated_at',
  'expires_at',
] as const;

/** A secret is live until its expiry, if it has one. */
const live = (eb: ExpressionBuilder<SqlSchema, 'secrets'>, now: number) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);

/**
 * The secret statements both dialects run, each one bound execution per call. What differs stays
 * in the dialect folders: creates and reads (PostgreSQL batches them, with its events), listing and
 * key-rotation scans (PostgreSQL compares names in the "C" collation), purges (SKIP LOCKED).
 */
export const SECRET_SQL = {
  find: statement<{ id: string; now: number }>()('secret_find', (db, p) =>
    db
      .selectFrom('secrets')
      .select(SECRET_COLUMNS)
      .where('id', '=', p('id'))
      .where((eb) => live(eb, p('now'))),
  ),
  findByName: statement<{ name: string; now: number }>()('secret_find_by_name', (db, p) =>
    db
      .selectFrom('secrets')
      .select(SECRET_COLUMNS)
      .where('name', '=', p('name'))
      .where((eb) => live(eb, p('now'))),
  ),
  versions: statement<{ id: string }>()('secret_versions', (db, p) =>
    db
      .selectFrom('secret_versions')
      .select(['version', 'key_version', 'created_at'])
      .where('secret_id', '=', p('id'))
      .orderBy('version'),
  ),
  insertVersion: statement<{
    secretId: string;
    version: number;
    ciphertext: Buffer;
    wrappedKey: Buffer;
    keyVersion: number;
    createdAt: number;
  }>()('secret_insert_version', (db, p) =>
    db.insertInto('secret_versions').values({
      secret_id: p('secretId'),
      version: p('version'),
      ciphertext: p('ciphertext'),
      wrapped_key: p('wrappedKey'),
      key_version: p('keyVersion'),
      created_at: p('createdAt'),
    }),
  ),
  // The row lock (PostgreSQL) or the write lock (SQLite) makes concurrent updates take the next
  // number one after another. A null expiresAt keeps the expiry (the cast types it for PostgreSQL).
  bump: statement<{ id: string; now: number; expiresAt: number | null }>()('secret_bump', (db, p) =>
    db
      .updateTable('secrets')
      .set((eb) => ({
        current_version: eb('current_version', '+', 1),
        updated_at: p('now'),
        expires_at: eb.fn.coalesce(eb.cast<number>(eb.val(p('expiresAt')), 'bigint'), 'expires_at'),
      }))
      .where('id', '=', p('id'))
      .where((eb) => live(eb, p('now')))
      .returning(SECRET_COLUMNS),
  ),
  prune: statement<{ id: string; upTo: number }>()('secret_prune', (db, p) =>
    db.deleteFrom('secret_versions').where('secret_id', '=', p('id')).where('version', '<=', p('upTo')),
  ),
} as const;
