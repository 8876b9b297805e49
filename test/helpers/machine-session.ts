import { randomUUID } from 'node:crypto';
import { newBearerToken } from '../../src/auth/token-text.js';
import type { SessionRecord, TokenKind, TokenRecord, TokenStore } from '../../src/storage/token-store.js';

const HOUR = 3_600_000;

/**
 * A live session of the machine identity `id`, stored directly (no machine signs in yet) with an
 * access and a refresh token scoped `secrets:read`; answers its bearer tokens.
 */
export async function storeMachineSession(tokens: TokenStore, id: string, clientIp = '192.0.2.7') {
  const now = Date.now();
  const session: SessionRecord = {
    id: randomUUID(),
    userId: id,
    principalKind: 'machine',
    clientId: 'ci',
    clientIp,
    accessTtlSeconds: 3600,
    createdAt: now,
    expiresAt: now + 24 * HOUR,
    revokedAt: undefined,
  };
  const minted = (kind: TokenKind) => {
    const bearer = newBearerToken(kind);
    const record: TokenRecord = {
      id: randomUUID(),
      hash: bearer.hash,
      kind,
      sessionId: session.id,
      scope: 'secrets:read',
      boundCidrs: undefined,
      maxUses: undefined,
      uses: 0,
      createdAt: now,
      expiresAt: now + HOUR,
      revokedAt: undefined,
      rotatedAt: undefined,
    };
    return { bearer: bearer.bearer, record };
  };
  const access = minted('access');
  const refresh = minted('refresh');
  if (!(await tokens.createSession(session, [access.record, refresh.record]))) {
    throw new Error(`no account ${id} to hold the machine session (sessions.user_id references one)`);
  }
  return { sessionId: session.id, access: access.bearer, refresh: refresh.bearer };
}
