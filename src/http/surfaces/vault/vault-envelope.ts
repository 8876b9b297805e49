import { type Static, type TSchema, Type } from 'typebox';
import { Nullable } from '../../schemas/common-schemas.js';

/**
 * Vault's response envelope (api/secret.go's `Secret`): every 200 answers all of its fields, null
 * where unused. hush has no leases and no response wrapping, so those stay empty.
 */

const Warnings = Nullable(Type.Array(Type.String()));

/** The `auth` block of a login or a token creation; node-vault takes `client_token` as its token. */
export const VaultAuth = Type.Object({
  client_token: Type.String(),
  /** The token's session id: what `hush token` and /api/v1/token/sessions name it by. */
  accessor: Type.String(),
  policies: Type.Array(Type.String()),
  token_policies: Type.Array(Type.String()),
  metadata: Nullable(Type.Record(Type.String(), Type.String())),
  lease_duration: Type.Integer(),
  renewable: Type.Boolean(),
  entity_id: Type.String(),
  token_type: Type.String(),
  orphan: Type.Boolean(),
  num_uses: Type.Integer(),
  mfa_requirement: Type.Null(),
});

const common = {
  request_id: Type.String(),
  lease_id: Type.String(),
  lease_duration: Type.Integer(),
  renewable: Type.Boolean(),
  wrap_info: Type.Null(),
  warnings: Warnings,
};

/** An answer carrying `data`. */
export const DataEnvelope = <T extends TSchema>(data: T) =>
  Type.Object({ ...common, data, auth: Type.Null() });

/** An answer carrying `auth` (a login, a token created or renewed). */
export const AuthEnvelope = Type.Object({ ...common, data: Type.Null(), auth: VaultAuth });

/**
 * The body of a 404 that may carry data (a deleted KV version answers its metadata, as Vault
 * does) or be a plain `{"errors":[]}`: one schema for both, every field optional.
 */
export const NotFoundWithData = <T extends TSchema>(data: T) =>
  Type.Object({
    errors: Type.Optional(Type.Array(Type.String())),
    ...Object.fromEntries(Object.entries(common).map(([key, schema]) => [key, Type.Optional(schema)])),
    data: Type.Optional(data),
    auth: Type.Optional(Type.Null()),
  });

type Auth = Static<typeof VaultAuth>;
/** The request an answer is for: Vault's `request_id` is hush's request id (X-Request-Id). */
type Request = { readonly id: string };

function base(request: Request, warnings: readonly string[] | undefined) {
  return {
    request_id: request.id,
    lease_id: '',
    lease_duration: 0,
    renewable: false,
    wrap_info: null,
    warnings: warnings && warnings.length > 0 ? [...warnings] : null,
  };
}

export function dataEnvelope<D>(request: Request, data: D, warnings?: readonly string[]) {
  return { ...base(request, warnings), data, auth: null };
}

export function authEnvelope(request: Request, auth: Auth, warnings?: readonly string[]) {
  return { ...base(request, warnings), data: null, auth };
}
