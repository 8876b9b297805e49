import { statement } from './sql-statement.js';

/** The GitHub web-flow states, for both dialects (see OauthStateStore for the guarantees). */
export const OAUTH_STATE_SQL = {
  insert: statement<{ stateHash: string; codeVerifier: string; createdAt: number; expiresAt: number }>()(
    'oauth_state_insert',
    (db, p) =>
      db.insertInto('oauth_states').values({
        state_hash: p('stateHash'),
        code_verifier: p('codeVerifier'),
        created_at: p('createdAt'),
        expires_at: p('expiresAt'),
      }),
  ),
  // One statement deletes and returns, under the row lock: a second consume finds no row to return.
  consume: statement<{ stateHash: string }>()('oauth_state_consume', (db, p) =>
    db
      .deleteFrom('oauth_states')
      .where('state_hash', '=', p('stateHash'))
      .returning(['state_hash', 'code_verifier', 'created_at', 'expires_at']),
  ),
  purge: statement<{ now: number; limit: number }>()('oauth_state_purge', (db, p) =>
    db
      .deleteFrom('oauth_states')
      .where('state_hash', 'in', (sub) =>
        sub
          .selectFrom('oauth_states')
          .select('state_hash')
          .where('expires_at', '<=', p('now'))
          .limit(p('limit')),
      ),
  ),
} as const;
