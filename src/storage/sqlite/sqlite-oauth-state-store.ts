import type { Database } from 'better-sqlite3';
import type { OauthStateStore } from '../oauth-state-store.js';
import { type OauthStateRow, oauthStateFromRow } from '../sql-oauth-state-row.js';
import { preparedStatements } from './sqlite-statements.js';
import type { WriteQueue } from './sqlite-write-queue.js';

const SQL = {
  insert: `insert into oauth_states (state_hash, code_verifier, created_at, expires_at)
    values (@stateHash, @codeVerifier, @createdAt, @expiresAt)`,
  // One statement deletes and returns: a second consume finds no row to return.
  consume: `delete from oauth_states where state_hash = ? returning *`,
  purge: `delete from oauth_states where state_hash in
    (select state_hash from oauth_states where expires_at <= ? limit ?)`,
} as const;

/** GitHub web-flow states in the SQLite file; writes go through the group-commit queue. */
export function createSqliteOauthStateStore(database: Database, writes: WriteQueue): OauthStateStore {
  const stmt = preparedStatements(database, SQL);
  return {
    create: (record) =>
      writes.write(() => {
        const { stateHash, codeVerifier, createdAt, expiresAt } = record;
        stmt('insert').run({ stateHash, codeVerifier, createdAt, expiresAt });
      }),
    consume: (stateHash) =>
      writes.write(() => {
        const row = stmt('consume').get(stateHash) as OauthStateRow | undefined;
        return row && oauthStateFromRow(row);
      }),
    purgeExpired: (now, limit) => writes.write(() => stmt('purge').run(now, limit).changes),
  };
}
