import { Type } from 'typebox';
import { Nullable } from '../../schemas/common-schemas.js';

/**
 * What Vault's routes take and answer. Vault ignores fields it does not know (with a warning),
 * so these bodies accept unknown fields rather than refusing them; the fields they name are
 * validated as strictly as hush's own. Where Vault's framework takes a number or its text, or a
 * list or its comma-separated text, so do these.
 */

const Text = (maxLength: number) => Type.String({ maxLength });
/** Seconds, or a duration in Go's notation (vault-duration.ts). */
export const Duration = Type.Union([Type.Integer({ minimum: 0 }), Text(64)]);
/** A list of CIDRs, or their comma-separated text. */
export const CidrList = Type.Union([Type.Array(Text(64), { maxItems: 64 }), Text(64 * 65)]);
/** Text of at most 64 comma-separated names. */
const NameList = Type.Union([Type.Array(Text(128), { maxItems: 64 }), Text(64 * 129)]);
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000_000 });
const Labels = Type.Record(Type.String({ maxLength: 128 }), Text(1024));

/** The rest of the path after a fixed prefix: the secret name (or folder) in KV routes. */
export const PathParams = Type.Object({ '*': Text(1024) });
export const RoleParams = Type.Object({ name: Text(128) });
export const UsernameParams = Type.Object({ username: Text(256) });

/** Vault's truthy `list` (parseutil.ParseBool): `?list=true` (the Go client) or `?list=1` (node-vault). */
export const ListQuery = Type.Object({ list: Type.Optional(Text(8)) });
export const KvReadQuery = Type.Object({ version: Type.Optional(Count) });

export const CasOptions = Type.Object({ cas: Type.Optional(Count) });

export const KvWriteBody = Type.Object({
  data: Type.Record(Type.String({ maxLength: 1024 }), Type.String()),
  options: Type.Optional(CasOptions),
});
export const KvPatchBody = Type.Object({
  data: Type.Record(Type.String({ maxLength: 1024 }), Nullable(Type.String())),
  options: Type.Optional(CasOptions),
});
export const KvVersionsBody = Type.Object({
  versions: Type.Union([
    Type.Array(Type.Union([Count, Type.String({ pattern: '^\\s*\\d{1,10}\\s*$' })]), { maxItems: 1000 }),
    Text(11_000),
  ]),
});
export const KvMetadataBody = Type.Object({
  max_versions: Type.Optional(Count),
  cas_required: Type.Optional(Type.Boolean()),
  delete_version_after: Type.Optional(Duration),
  custom_metadata: Type.Optional(Type.Record(Type.String({ maxLength: 128 }), Nullable(Text(1024)))),
});

export const TokenCreateBody = Type.Object({
  id: Type.Optional(Text(256)),
  policies: Type.Optional(NameList),
  meta: Type.Optional(Nullable(Labels)),
  ttl: Type.Optional(Duration),
  lease: Type.Optional(Duration),
  explicit_max_ttl: Type.Optional(Duration),
  period: Type.Optional(Duration),
  num_uses: Type.Optional(Count),
  display_name: Type.Optional(Text(256)),
  renewable: Type.Optional(Type.Boolean()),
  no_parent: Type.Optional(Type.Boolean()),
  no_default_policy: Type.Optional(Type.Boolean()),
  type: Type.Optional(Text(16)),
  entity_alias: Type.Optional(Text(256)),
});
export const RenewSelfBody = Type.Object({ increment: Type.Optional(Duration) });
export const UserpassLoginBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) });
export const ApproleLoginBody = Type.Object({
  role_id: Type.String({ minLength: 1, maxLength: 256 }),
  secret_id: Type.Optional(Type.String({ maxLength: 1024 })),
});

export const RoleBody = Type.Object({
  bind_secret_id: Type.Optional(Type.Boolean()),
  secret_id_bound_cidrs: Type.Optional(CidrList),
  /** Vault's older name for secret_id_bound_cidrs, which node-vault's addApproleRole sends. */
  bound_cidr_list: Type.Optional(CidrList),
  secret_id_num_uses: Type.Optional(Count),
  secret_id_ttl: Type.Optional(Duration),
  token_ttl: Type.Optional(Duration),
  token_max_ttl: Type.Optional(Duration),
  token_num_uses: Type.Optional(Count),
  token_bound_cidrs: Type.Optional(CidrList),
  token_policies: Type.Optional(NameList),
  /** Vault's older name for token_policies. */
  policies: Type.Optional(NameList),
  token_type: Type.Optional(Text(16)),
  token_period: Type.Optional(Duration),
  period: Type.Optional(Duration),
  token_explicit_max_ttl: Type.Optional(Duration),
  token_no_default_policy: Type.Optional(Type.Boolean()),
});
export const SecretIdBody = Type.Object({
  /** Vault takes a JSON object in a string ("{\"env\":\"ci\"}"); an object is taken too. */
  metadata: Type.Optional(Type.Union([Text(64 * 1024), Labels])),
  cidr_list: Type.Optional(CidrList),
  token_bound_cidrs: Type.Optional(CidrList),
  ttl: Type.Optional(Duration),
  num_uses: Type.Optional(Count),
});
export const AccessorBody = Type.Object({
  secret_id_accessor: Type.String({ minLength: 1, maxLength: 256 }),
});

// Answers (inside the envelope's `data`).

export const KvVersionMeta = Type.Object({
  created_time: Type.String(),
  custom_metadata: Nullable(Type.Record(Type.String(), Type.String())),
  deletion_time: Type.String(),
  destroyed: Type.Boolean(),
  version: Type.Integer(),
});
export const KvReadData = Type.Object({
  data: Nullable(Type.Record(Type.String(), Type.String())),
  metadata: KvVersionMeta,
});
export const KvMetadataData = Type.Object({
  cas_required: Type.Boolean(),
  created_time: Type.String(),
  current_version: Type.Integer(),
  custom_metadata: Nullable(Type.Record(Type.String(), Type.String())),
  delete_version_after: Type.String(),
  max_versions: Type.Integer(),
  oldest_version: Type.Integer(),
  updated_time: Type.String(),
  versions: Type.Record(
    Type.String(),
    Type.Object({ created_time: Type.String(), deletion_time: Type.String(), destroyed: Type.Boolean() }),
  ),
});
export const KeysData = Type.Object({ keys: Type.Array(Type.String()) });
