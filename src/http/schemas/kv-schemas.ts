import { Type } from 'typebox';
import {
  MAX_KV_KEYS,
  MAX_MAX_VERSIONS,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_VALUE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TTL_SECONDS,
  MAX_VERSION_NUMBER,
  MAX_VERSIONS_PER_CALL,
} from '../../secrets/secret-limits.js';
import { DateTime, Nullable } from './common-schemas.js';

const Value = Type.String({ maxLength: 1_048_576 });

/** KV data: string keys to string values, at most the `secrets.max_bytes` setting as JSON. */
export const KvDataSchema = Type.Record(Type.String(), Value, {
  maxProperties: MAX_KV_KEYS,
  description: `Up to ${MAX_KV_KEYS} keys of 1 to 128 printable characters, string values; as JSON at most the secrets.max_bytes setting`,
  example: { username: 'billing', password: 'hunter2' },
});
const KvPatchSchema = Type.Record(Type.String(), Nullable(Value), {
  maxProperties: MAX_KV_KEYS,
  description: 'A merge patch (RFC 7386): a string sets a key, null removes it',
});
const StringMap = (description: string) =>
  Type.Record(Type.String(), Type.String({ maxLength: MAX_METADATA_VALUE_LENGTH }), {
    maxProperties: MAX_METADATA_ENTRIES,
    description,
  });
export const Cas = Type.Integer({
  minimum: 0,
  maximum: MAX_VERSION_NUMBER,
  description: 'Check-and-set: 0 writes only a new secret, N only if N is the current version',
});
const Version = Type.Integer({ minimum: 1, maximum: MAX_VERSION_NUMBER });
const time = (description: string) => Type.String({ format: 'date-time', description });

export const KvNameParams = Type.Object({
  '*': Type.String({ maxLength: MAX_NAME_LENGTH + 1, description: 'The secret name (path)' }),
});
export const KvVersionQuery = Type.Object(
  {
    version: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_VERSION_NUMBER, description: 'Read this version' }),
    ),
  },
  { additionalProperties: false },
);

export const KvWriteBody = Type.Object(
  {
    data: KvDataSchema,
    cas: Type.Optional(Cas),
    ttl_seconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description: 'A new lifetime for the secret' }),
    ),
    metadata: Type.Optional(StringMap('The version’s string metadata (encrypted); omitted: kept')),
  },
  { additionalProperties: false },
);
export const KvPatchBody = Type.Object(
  { data: KvPatchSchema, cas: Type.Optional(Cas) },
  { additionalProperties: false },
);
export const KvVersionsBody = Type.Object(
  {
    versions: Type.Array(Version, {
      minItems: 1,
      maxItems: MAX_VERSIONS_PER_CALL,
      description: 'Version numbers',
    }),
  },
  { additionalProperties: false },
);
export const KvMetadataBody = Type.Object(
  {
    max_versions: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_MAX_VERSIONS,
        description: '0: the secrets.max_versions setting',
      }),
    ),
    cas_required: Type.Optional(Type.Boolean()),
    delete_version_after_seconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_TTL_SECONDS, description: '0: never' }),
    ),
    custom_metadata: Type.Optional(StringMap('Labels about the secret, not secret themselves')),
  },
  { additionalProperties: false },
);

const versionFields = {
  version: Type.Integer(),
  created_at: time('When this version was written'),
  deleted_at: Nullable(time('When it was (or, by delete_version_after, will be) deleted')),
  destroyed: Type.Boolean(),
};
const common = {
  id: Type.String(),
  name: Type.String(),
  expires_at: Nullable(DateTime),
};

export const KvReadResponse = Type.Object({
  ...common,
  data: Type.Record(Type.String(), Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
  ...versionFields,
  custom_metadata: Type.Record(Type.String(), Type.String()),
});
export const KvWrittenResponse = Type.Object({
  ...common,
  version: Type.Integer({ description: 'The version this call wrote' }),
  created_at: time('When this version was written'),
  created: Type.Boolean({ description: 'Whether this call created the secret' }),
});
export const KvMetadataResponse = Type.Object({
  ...common,
  current_version: Type.Integer({ description: '0 before the first version' }),
  oldest_version: Type.Integer({ description: '0 when none is kept' }),
  created_at: time('When the secret was created'),
  updated_at: time('When its newest version was written'),
  max_versions: Type.Integer(),
  cas_required: Type.Boolean(),
  delete_version_after_seconds: Type.Integer(),
  custom_metadata: Type.Record(Type.String(), Type.String()),
  versions: Type.Array(Type.Object(versionFields), { description: 'Oldest first' }),
});
export const KvListResponse = Type.Object({
  keys: Type.Array(Type.String(), { description: 'Names in the folder; sub-folders end in "/"' }),
});
