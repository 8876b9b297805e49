import { statement } from './sql-statement.js';

/**
 * The file statements both dialects run as they are. The race-critical ones (attach, grant,
 * start, finish, erase) are each dialect's own, beside its share statements, because they run in
 * the share store's steps: SQLite inside one write job, PostgreSQL as CTEs of one statement or in
 * one transaction with row locks (sqlite-file-steps.ts, postgres-file-steps.ts).
 */
export const FILE_SQL = {
  insertUpload: statement<{
    id: string;
    keyHash: string;
    bytes: number;
    partCount: number;
    createdAt: number;
    expiresAt: number;
  }>()('upload_insert', (db, p) =>
    db.insertInto('uploads').values({
      id: p('id'),
      key_hash: p('keyHash'),
      bytes: p('bytes'),
      part_count: p('partCount'),
      state: 'open',
      share_id: null,
      created_at: p('createdAt'),
      expires_at: p('expiresAt'),
    }),
  ),
  findUpload: statement<{ id: string; keyHash: string }>()('upload_find', (db, p) =>
    db
      .selectFrom('uploads')
      .select(['id', 'key_hash', 'bytes', 'part_count', 'state', 'share_id', 'created_at', 'expires_at'])
      .where('id', '=', p('id'))
      .where('key_hash', '=', p('keyHash')),
  ),
  readPart: statement<{ uploadId: string; n: number }>()('upload_part_read', (db, p) =>
    db
      .selectFrom('upload_parts')
      .select(['data', 'blob'])
      .where('upload_id', '=', p('uploadId'))
      .where('n', '=', p('n')),
  ),
  /** Which of these files a part row still names (the orphan sweep). */
  namedBlobs: statement<{ uploadId: string }>()('upload_part_blobs', (db, p) =>
    db.selectFrom('upload_parts').select(['blob']).where('upload_id', '=', p('uploadId')),
  ),
} as const;
