import type { PrincipalKind } from '../../domain/principal.js';
import type { SessionRecord, TokenKind, TokenLookup, TokenRecord } from '../token-store.js';

/**
 * One row of the token lookup (tokens ⋈ sessions ⋈ the session's principal: users or machines by
 * its kind), the same query shape on both SQL backends. Session and principal columns carry
 * prefixes, since the tables share column names.
 */
export interface TokenLookupRow {
  id: string;
  hash: string;
  kind: string;
  session_id: string;
  scope: string;
  bound_cidrs: string | null;
  max_uses: number | null;
  uses: number;
  created_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
  rotated_at: number | string | null;
  s_user_id: string;
  s_principal_kind: string;
  s_client_id: string | null;
  s_client_ip: string | null;
  s_access_ttl_seconds: number;
  s_created_at: number | string;
  s_expires_at: number | string;
  s_revoked_at: number | string | null;
  p_name: string;
  p_role: string;
}

/**
 * The token and session part of the select list of a TokenLookupRow, from `tokens t` and
 * `sessions s`; PRINCIPAL_SELECT adds the principal's name and role.
 */
export const TOKEN_LOOKUP_SELECT = [
  't.id',
  't.hash',
  't.kind',
  't.session_id',
  't.scope',
  't.bound_cidrs',
  't.max_uses',
  't.uses',
  't.created_at',
  't.expires_at',
  't.revoked_at',
  't.rotated_at',
  's.user_id as s_user_id',
  's.principal_kind as s_principal_kind',
  's.client_id as s_client_id',
  's.client_ip as s_client_ip',
  's.access_ttl_seconds as s_access_ttl_seconds',
  's.created_at as s_created_at',
  's.expires_at as s_expires_at',
  's.revoked_at as s_revoked_at',
] as const;

/**
 * A session's principal: an account (`users u`) for kind `user`, a machine identity (`machines m`)
 * for kind `machine`, each joined only for its own kind, so an account and a machine that share an
 * id never stand in for each other. A lookup keeps a row only when its principal exists.
 */
export const PRINCIPAL_JOINS = `left join users u on s.principal_kind = 'user' and u.id = s.user_id
  left join machines m on s.principal_kind = 'machine' and m.id = s.user_id`;
export const PRINCIPAL_EXISTS = '(u.id is not null or m.id is not null)';
export const PRINCIPAL_SELECT = {
  name: 'coalesce(u.username, m.name)',
  role: 'coalesce(u.role, m.role)',
} as const;

/** The whole select list as SQL text, for PostgreSQL's batched lookup. */
export const TOKEN_LOOKUP_COLUMNS = [
  ...TOKEN_LOOKUP_SELECT,
  `${PRINCIPAL_SELECT.name} as p_name`,
  `${PRINCIPAL_SELECT.role} as p_role`,
].join(', ');

export interface SessionRow {
  id: string;
  user_id: string;
  principal_kind: string;
  client_id: string | null;
  client_ip: string | null;
  access_ttl_seconds: number;
  created_at: number | string;
  expires_at: number | string;
  revoked_at: number | string | null;
}

// PostgreSQL returns bigint as text; SQLite as number. Epoch milliseconds fit a double exactly.
const ms = (value: number | string) => Number(value);
const optionalMs = (value: number | string | null) => (value === null ? undefined : Number(value));

export function sessionFromRow(row: SessionRow): SessionRecord {
  return {
    id: row.id,
    userId: row.user_id,
    principalKind: row.principal_kind as PrincipalKind,
    clientId: row.client_id ?? undefined,
    clientIp: row.client_ip ?? undefined,
    accessTtlSeconds: row.access_ttl_seconds,
    createdAt: ms(row.created_at),
    expiresAt: ms(row.expires_at),
    revokedAt: optionalMs(row.revoked_at),
  };
}

export function lookupFromRow(row: TokenLookupRow): TokenLookup {
  const token: TokenRecord = {
    id: row.id,
    hash: row.hash,
    kind: row.kind as TokenKind,
    sessionId: row.session_id,
    scope: row.scope,
    boundCidrs: row.bound_cidrs === null ? undefined : row.bound_cidrs.split(','),
    maxUses: row.max_uses ?? undefined,
    uses: row.uses,
    createdAt: ms(row.created_at),
    expiresAt: ms(row.expires_at),
    revokedAt: optionalMs(row.revoked_at),
    rotatedAt: optionalMs(row.rotated_at),
  };
  const session = sessionFromRow({
    id: row.session_id,
    user_id: row.s_user_id,
    principal_kind: row.s_principal_kind,
    client_id: row.s_client_id,
    client_ip: row.s_client_ip,
    access_ttl_seconds: row.s_access_ttl_seconds,
    created_at: row.s_created_at,
    expires_at: row.s_expires_at,
    revoked_at: row.s_revoked_at,
  });
  return { token, session, principal: { id: row.s_user_id, name: row.p_name, role: row.p_role } };
}

/** Column values of a token row, in the order both backends' inserts list them. */
export function tokenValues(t: TokenRecord) {
  return [
    t.id,
    t.hash,
    t.kind,
    t.sessionId,
    t.scope,
    t.boundCidrs === undefined ? null : t.boundCidrs.join(','),
    t.maxUses ?? null,
    t.createdAt,
    t.expiresAt,
  ] as const;
}
