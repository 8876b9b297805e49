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
  'max_versions',
  'cas_required',
  'delete_version_after_seconds',
  'custom_metadata',
] as const;

/** A secret is live until its expiry, if it has one. */
const live = (eb: ExpressionBuilder<SqlSchema, 'secrets'>, now: number) =>
  eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]);

/**
 * The secret statements both dialects run, each one bound execution per call. What differs stays
 * in the dialect folders: creates and reads (PostgreSQL batches them, with its events), listing and
 * key-rotation scans (PostgreSQL compares names in the "C" collation), purges (SKIP LOCKED), and
 * the version-list changes (SQLite reads the list from JSON, PostgreSQL from an array).
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
      .select(['version', 'key_version', 'created_at', 'deleted_at', 'destroyed_at'])
      .where('secret_id', '=', p('id'))
      .orderBy('version'),
  ),
  version: statement<{ id: string; version: number }>()('secret_version', (db, p) =>
    db
      .selectFrom('secret_versions')
      .select([
        'secret_id',
        'version',
        'ciphertext',
        'wrapped_key',
        'key_version',
        'created_at',
        'deleted_at',
        'destroyed_at',
      ])
      .where('secret_id', '=', p('id'))
      .where('version', '=', p('version')),
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
  // number one after another, and each re-checks `cas` against the number the one before it left:
  // of updates expecting one version, one bumps it and the rest match no row. A null expiresAt
  // keeps the expiry, a null cas checks nothing but `cas_required`, read under the same lock (the
  // casts type them for PostgreSQL).
  bump: statement<{ id: string; now: number; expiresAt: number | null; cas: number | null }>()(
    'secret_bump',
    (db, p) =>
      db
        .updateTable('secrets')
        .set((eb) => ({
          current_version: eb('current_version', '+', 1),
          updated_at: p('now'),
          expires_at: eb.fn.coalesce(eb.cast<number>(eb.val(p('expiresAt')), 'bigint'), 'expires_at'),
        }))
        .where('id', '=', p('id'))
        .where((eb) => live(eb, p('now')))
        .where((eb) =>
          eb.or([
            eb.and([
              eb(eb.cast<number>(eb.val(p('cas')), 'integer'), 'is', null),
              eb('cas_required', '=', 0),
            ]),
            eb('current_version', '=', eb.cast<number>(eb.val(p('cas')), 'integer')),
          ]),
        )
        .returning(SECRET_COLUMNS),
  ),
  prune: statement<{ id: string; upTo: number }>()('secret_prune', (db, p) =>
    db.deleteFrom('secret_versions').where('secret_id', '=', p('id')).where('version', '<=', p('upTo')),
  ),
  // A null keeps the setting; custom metadata arrives as JSON text.
  setSettings: statement<{
    id: string;
    now: number;
    maxVersions: number | null;
    casRequired: number | null;
    deleteVersionAfterSeconds: number | null;
    customMetadata: string | null;
  }>()('secret_set_settings', (db, p) =>
    db
      .updateTable('secrets')
      .set((eb) => ({
        max_versions: eb.fn.coalesce(eb.cast<number>(eb.val(p('maxVersions')), 'integer'), 'max_versions'),
        cas_required: eb.fn.coalesce(eb.cast<number>(eb.val(p('casRequired')), 'integer'), 'cas_required'),
        delete_version_after_seconds: eb.fn.coalesce(
          eb.cast<number>(eb.val(p('deleteVersionAfterSeconds')), 'integer'),
          'delete_version_after_seconds',
        ),
        custom_metadata: eb.fn.coalesce(
          eb.cast<string>(eb.val(p('customMetadata')), 'text'),
          'custom_metadata',
        ),
      }))
      .where('id', '=', p('id'))
      .where((eb) => live(eb, p('now')))
      .returning(SECRET_COLUMNS),
  ),
} as const;

/** The oldest version a secret keeps after its current one: beyond its own limit, or `keep`. */
export const pruneUpTo = (secret: { current_version: number; max_versions: number }, keep: number) =>
  secret.current_version - (secret.max_versions > 0 ? secret.max_versions : keep);
