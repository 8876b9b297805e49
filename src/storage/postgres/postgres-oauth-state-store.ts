import type pg from 'pg';
import type { OauthStateStore } from '../oauth-state-store.js';
import { type OauthStateRow, oauthStateFromRow } from '../sql-oauth-state-row.js';

const SQL = {
  insert: `insert into oauth_states (state_hash, code_verifier, created_at, expires_at)
    values ($1, $2, $3, $4)`,
  // The row lock decides between concurrent consumes: the loser finds the row gone and returns none.
  consume: `delete from oauth_states where state_hash = $1
    returning state_hash, code_verifier, created_at, expires_at`,
  purge: `delete from oauth_states where state_hash in
    (select state_hash from oauth_states where expires_at <= $1 limit $2)`,
} as const;

/** GitHub web-flow states in PostgreSQL: one prepared statement per call. */
export function createPostgresOauthStateStore(pool: pg.Pool): OauthStateStore {
  const run = <R extends pg.QueryResultRow>(name: keyof typeof SQL, values: unknown[]) =>
    pool.query<R>({ name: `hush_oauth_state_${name}`, text: SQL[name], values });
  return {
    async create(record) {
      await run('insert', [record.stateHash, record.codeVerifier, record.createdAt, record.expiresAt]);
    },
    async consume(stateHash) {
      const row = (await run<OauthStateRow>('consume', [stateHash])).rows[0];
      return row && oauthStateFromRow(row);
    },
    purgeExpired: async (now, limit) => (await run('purge', [now, limit])).rowCount ?? 0,
  };
}
