import type { Database } from 'better-sqlite3';
import type { OauthStateStore } from '../oauth-state-store.js';
import { oauthStateFromRow } from '../sql/oauth-state-rows.js';
import { OAUTH_STATE_SQL } from '../sql/oauth-state-statements.js';
import { sqlitePrepared } from './sqlite-prepared.js';
import type { WriteQueue } from './sqlite-write-queue.js';

/** GitHub web-flow states in the SQLite file; writes go through the group-commit queue. */
export function createSqliteOauthStateStore(database: Database, writes: WriteQueue): OauthStateStore {
  const insert = sqlitePrepared(database, OAUTH_STATE_SQL.insert);
  const consume = sqlitePrepared(database, OAUTH_STATE_SQL.consume);
  const purge = sqlitePrepared(database, OAUTH_STATE_SQL.purge);
  return {
    create: (record) =>
      writes.write(() => {
        insert.run(record);
      }),
    consume: (stateHash) =>
      writes.write(() => {
        const row = consume.get({ stateHash });
        return row && oauthStateFromRow(row);
      }),
    purgeExpired: (now, limit) => writes.write(() => purge.run({ now, limit }).changes),
  };
}
