import type pg from 'pg';
import type { OauthStateStore } from '../oauth-state-store.js';
import { oauthStateFromRow } from '../sql/oauth-state-rows.js';
import { OAUTH_STATE_SQL } from '../sql/oauth-state-statements.js';
import { runPostgres } from './postgres-prepared.js';

/** GitHub web-flow states in PostgreSQL: one prepared statement per call. */
export function createPostgresOauthStateStore(pool: pg.Pool): OauthStateStore {
  return {
    async create(record) {
      await runPostgres(pool, OAUTH_STATE_SQL.insert, record);
    },
    async consume(stateHash) {
      const row = (await runPostgres(pool, OAUTH_STATE_SQL.consume, { stateHash })).rows[0];
      return row && oauthStateFromRow(row);
    },
    purgeExpired: async (now, limit) =>
      (await runPostgres(pool, OAUTH_STATE_SQL.purge, { now, limit })).rowCount ?? 0,
  };
}
