import { Type } from 'typebox';
import {
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TTL_SECONDS,
} from '../../secrets/secret-limits.js';
import { DateTime, Nullable } from './common-schemas.js';
import { Cas, KvDataSchema } from './kv-schemas.js';

const Name = Type.String({
  minLength: 1,
  maxLength: MAX_NAME_LENGTH,
  description:
    'A path: segments of letters, digits, `.`, `_` and `-` separated by `/` (apps/billing/db-password)',
});
const Value = Type.String({
  maxLength: 1_048_576,
  description: 'The secret (UTF-8); at most the `secrets.max_bytes` setting in bytes',
});
const Metadata = Type.Record(Type.String(), Type.String({ maxLength: MAX_METADATA_VALUE_LENGTH }), {
  maxProperties: MAX_METADATA_ENTRIES,
  description: `String pairs, keys of 1 to ${MAX_METADATA_KEY_LENGTH} characters; encrypted with the value`,
});
const ttl = (description: string) =>
  Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_TTL_SECONDS, description })));
const version = (description?: string) => Type.Integer({ minimum: 1, maximum: 2_147_483_647, description });
const time = (description: string) => Type.String({ format: 'date-time', description });

/** The seed's `value`, or KV `data` (whose key `value` the seed's reads answer): one of them. */
const content = {
  value: Type.Optional(Value),
  data: Type.Optional(KvDataSchema),
  metadata: Type.Optional(Metadata),
  cas: Type.Optional(Cas),
};

export const CreateSecretBody = Type.Object(
  {
    name: Name,
    ...content,
    ttl_seconds: ttl('Seconds until the secret expires (hidden, then erased); null: never'),
  },
  { additionalProperties: false },
);

export const UpdateSecretBody = Type.Object(
  {
    ...content,
    ttl_seconds: ttl('A new lifetime from now; omitted or null keeps the expiry'),
  },
  { additionalProperties: false },
);

export const SecretIdParams = Type.Object({ secret_id: Type.String({ minLength: 1, maxLength: 64 }) });
export const SecretVersionParams = Type.Object({
  secret_id: Type.String({ minLength: 1, maxLength: 64 }),
  version: version(),
});
export const SecretNameParams = Type.Object({ '*': Type.String({ description: 'The secret name (path)' }) });

export const VersionQuery = Type.Object(
  { version: Type.Optional(version('Read this version instead of the current one')) },
  { additionalProperties: false },
);

export const SecretsQuery = Type.Object(
  {
    prefix: Type.String({
      maxLength: MAX_NAME_LENGTH,
      pattern: '^[A-Za-z0-9._/-]*$',
      default: '',
      description: 'Only names starting with this text',
    }),
    page: Type.Integer({ minimum: 1, maximum: 100_000, default: 1 }),
    page_size: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  },
  { additionalProperties: false },
);

export const WrittenSecretResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer({ description: 'The version this call wrote' }),
  created_at: time('When the secret was first created'),
  expires_at: Nullable(DateTime),
});

const summaryFields = {
  id: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  created_at: time('When the secret was first created'),
  updated_at: time('When its newest version was written'),
  expires_at: Nullable(DateTime),
};

export const SecretSummaryResponse = Type.Object(summaryFields);

export const SecretResponse = Type.Object({
  ...summaryFields,
  version: Type.Integer({ description: 'The version whose value this is' }),
  value: Nullable(Type.String({ description: 'The key `value` of the data; null when it has none' })),
  data: Type.Record(Type.String(), Type.String()),
  metadata: Type.Record(Type.String(), Type.String()),
});

export const SecretsResponse = Type.Object({
  total: Type.Integer({ description: 'Matching names the caller may list' }),
  page: Type.Integer(),
  page_size: Type.Integer(),
  secrets: Type.Array(SecretSummaryResponse),
});

export const SecretVersionsResponse = Type.Object({
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      created_at: DateTime,
      key_version: Type.Integer({ description: 'The keyring key that wraps this version’s data key' }),
    }),
  ),
});
