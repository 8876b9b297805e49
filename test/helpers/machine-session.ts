import { randomUUID } from 'node:crypto';
import { newBearerToken } from '../../src/auth/token-text.js';
import type { Storage } from '../../src/storage/storage.js';
import type { SessionRecord, TokenKind, TokenRecord } from '../../src/storage/token-store.js';
import { machineRecord } from './machine-records.js';

const HOUR = 3_600_000;

/**
 * A live session of the machine identity `id` (created first when there is none: the id may be an
 * account's too), stored directly with an access and a refresh token scoped `secrets:read`;
 * answers its bearer tokens.
 */
export async function storeMachineSession(
  storage: Pick<Storage, 'tokens' | 'machines'>,
  id: string,
  clientIp = '192.0.2.7',
) {
  if (!(await storage.machines.findById(id))) {
    await storage.machines.create(machineRecord({ id, name: `machine-${id}` }), [], []);
  }
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
  if (!(await storage.tokens.createSession(session, [access.record, refresh.record]))) {
    throw new Error(`no machine ${id} to hold the session`);
  }
  return { sessionId: session.id, access: access.bearer, refresh: refresh.bearer };
}
