import type { Selectable } from 'kysely';
import type { OauthStateRecord } from '../oauth-state-store.js';
import type { OauthStatesTable } from './schema.js';

export type OauthStateRow = Selectable<OauthStatesTable>;

/** An `oauth_states` row as the domain's record. */
export function oauthStateFromRow(row: OauthStateRow): OauthStateRecord {
  return {
    stateHash: row.state_hash,
    codeVerifier: row.code_verifier,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
