import { Type } from 'typebox';
import { PRINCIPAL_KINDS } from '../../domain/principal.js';
import { DateTime, Nullable } from './common-schemas.js';

const Text = (maxLength: number, description?: string) =>
  Type.String({ maxLength, ...(description && { description }) });

/**
 * The token endpoint's body, form-encoded or JSON (RFC 6749 §4.3 and §6). Form fields are text,
 * so a form body is coerced ("3600" → 3600, "true" → true); a JSON body is not (form-body.ts).
 */
export const TokenCreateBody = Type.Object(
  {
    grant_type: Type.String({ maxLength: 64, description: '`password` or `refresh_token`' }),
    username: Type.Optional(Text(256)),
    password: Type.Optional(Text(1024)),
    refresh_token: Type.Optional(Text(128)),
    scope: Type.Optional(Text(256, 'Space-separated: secrets:read secrets:write admin')),
    client_id: Type.Optional(Text(128, 'Kept as a label on the session')),
    client_secret: Type.Optional(Text(256, 'Accepted for OAuth2 clients; hush has no client registry')),
    ttl_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000 })),
    max_ttl_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 31_536_000 })),
    max_uses: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1_000_000, description: '1 = one-time token' }),
    ),
    bind_ip: Type.Optional(Type.Boolean({ description: 'Bind the tokens to the caller’s IP address' })),
    bound_cidrs: Type.Optional(
      Type.Union([Type.Array(Text(64), { maxItems: 16 }), Text(1100, 'Comma-separated CIDRs')]),
    ),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  {
    refresh_token: Text(128),
    grant_type: Type.Optional(Type.Literal('refresh_token')),
    client_id: Type.Optional(Text(128)),
    client_secret: Type.Optional(Text(256)),
  },
  { additionalProperties: false },
);

/** `revoke_token` as the seed names it; `token` as RFC 7009 does. */
export const RevokeBody = Type.Object(
  {
    revoke_token: Type.Optional(Text(128)),
    token: Type.Optional(Text(128)),
    token_type_hint: Type.Optional(Text(32)),
    client_id: Type.Optional(Text(128)),
    client_secret: Type.Optional(Text(256)),
  },
  { additionalProperties: false },
);

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  refresh_token: Type.Optional(Type.String({ description: 'Absent when max_uses is set' })),
  refresh_expires_in: Type.Optional(Type.Integer()),
  scope: Type.String(),
  session_id: Type.String(),
});

export const RevokeResponse = Type.Object({ revoked: Type.Boolean() });

export const LookupSelfResponse = Type.Object({
  user: Type.Object({
    kind: Type.String({
      enum: [...PRINCIPAL_KINDS],
      description: 'Whose token: an account (user) or a machine identity (machine)',
    }),
    id: Type.String(),
    username: Type.String(),
    role: Type.String(),
  }),
  token_id: Type.String(),
  session_id: Type.String(),
  scopes: Type.Array(Type.String()),
  expires_at: DateTime,
  session_expires_at: DateTime,
  uses_left: Nullable(Type.Integer()),
  bound_cidrs: Nullable(Type.Array(Type.String())),
});

export const SessionsResponse = Type.Object({
  sessions: Type.Array(
    Type.Object({
      id: Type.String(),
      client_id: Nullable(Type.String()),
      client_ip: Nullable(Type.String()),
      created_at: DateTime,
      expires_at: DateTime,
      current: Type.Boolean(),
    }),
  ),
});

export const SessionParams = Type.Object({ session_id: Type.String({ maxLength: 64 }) });
