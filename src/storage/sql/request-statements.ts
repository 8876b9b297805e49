import { REQUEST_COLUMNS } from './request-rows.js';
import { statement } from './sql-statement.js';

/**
 * The request statements both dialects run: the lookups. The writes differ (PostgreSQL writes its
 * events in the same statement or transaction; SQLite runs each inside one write job), and so
 * does `ownersOf` (an array parameter on PostgreSQL).
 */
export const REQUEST_SQL = {
  findOpen: statement<{ respondHash: string; now: number }>()('request_find_open', (db, p) =>
    db
      .selectFrom('secret_requests')
      .select(REQUEST_COLUMNS)
      .where('respond_hash', '=', p('respondHash'))
      .where('state', '=', 'open')
      .where('expires_at', '>', p('now')),
  ),
  findByKey: statement<{ requestHash: string }>()('request_find_by_key', (db, p) =>
    db.selectFrom('secret_requests').select(REQUEST_COLUMNS).where('request_hash', '=', p('requestHash')),
  ),
} as const;
