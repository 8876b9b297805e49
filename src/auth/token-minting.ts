import { randomUUID } from 'node:crypto';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { TokenRecord } from '../storage/token-store.js';
import { cidrOfAddress, parseCidrs } from './ip-binding.js';
import { resolveScopes } from './token-scopes.js';
import { newBearerToken } from './token-text.js';
import type { IssuedTokens, IssueOptions } from './token-types.js';
import type { Role } from './user-types.js';

/** What the access tokens of one session are minted with: chosen at sign-in, kept on renewal. */
export interface Grant {
  readonly scope: string;
  readonly boundCidrs: readonly string[] | undefined;
  readonly maxUses: number | undefined;
  readonly accessTtlMs: number;
}

/** Turns a sign-in's options into a grant, and a grant into a session's token records. */
export function createMinter(settings: SettingsReader) {
  const seconds = (key: 'tokens.refresh_ttl_seconds') => settings.get(key) * 1000;

  /**
   * Access and refresh tokens for a session, never outliving its max TTL. A session with counted
   * uses gets no refresh token: its max_uses is a budget that renewing must not refill.
   */
  const mint = (sessionId: string, sessionEnd: number, grant: Grant, at: number) => {
    const access = newBearerToken('access');
    const refresh = grant.maxUses === undefined ? newBearerToken('refresh') : undefined;
    const record = (kind: 'access' | 'refresh', hash: string, ttlMs: number): TokenRecord => ({
      id: randomUUID(),
      hash,
      kind,
      sessionId,
      scope: grant.scope,
      boundCidrs: grant.boundCidrs,
      maxUses: kind === 'access' ? grant.maxUses : undefined,
      uses: 0,
      createdAt: at,
      expiresAt: Math.min(at + ttlMs, sessionEnd),
      revokedAt: undefined,
      rotatedAt: undefined,
    });
    const accessRecord = record('access', access.hash, grant.accessTtlMs);
    const refreshRecord = refresh && record('refresh', refresh.hash, seconds('tokens.refresh_ttl_seconds'));
    const issued: IssuedTokens = {
      accessToken: access.bearer,
      tokenType: 'Bearer',
      expiresIn: Math.round((accessRecord.expiresAt - at) / 1000),
      refreshToken: refresh?.bearer,
      refreshExpiresIn: refreshRecord && Math.round((refreshRecord.expiresAt - at) / 1000),
      scope: grant.scope,
      sessionId,
    };
    return { records: refreshRecord ? [accessRecord, refreshRecord] : [accessRecord], issued };
  };

  const grantFor = (role: Role, options: IssueOptions): Grant => {
    const accessTtl = options.ttlSeconds ?? settings.get('tokens.access_ttl_seconds');
    if (accessTtl > settings.get('tokens.access_ttl_seconds')) {
      throw new HushError('bad_request', 'ttl_seconds is above the tokens.access_ttl_seconds setting.');
    }
    const cidrs = [
      ...(options.boundCidrs ? parseCidrs(options.boundCidrs) : []),
      ...(options.bindIp ? [cidrOfAddress(options.client.ip)] : []),
    ];
    return {
      scope: resolveScopes(options.scope, role).join(' '),
      boundCidrs: cidrs.length > 0 ? [...new Set(cidrs)] : undefined,
      maxUses: options.maxUses,
      accessTtlMs: accessTtl * 1000,
    };
  };

  return { mint, grantFor };
}
