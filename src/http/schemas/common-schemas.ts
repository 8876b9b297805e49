import { type TSchema, type TSchemaOptions, Type } from 'typebox';
import { ERROR_TABLE } from '../../errors/error-table.js';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * One of `values`: the same `{type: 'string', enum}` schema as `Type.String({ enum })`, but its
 * static type is the union of the values, which clients derive their types from (src/client/).
 */
export const StringEnum = <const V extends string[]>(values: readonly [...V], options?: TSchemaOptions) =>
  Type.Enum(values, { type: 'string', ...options });

export const DateTime = Type.String({ format: 'date-time' });

export const ErrorResponse = Type.Object(
  {
    error: Type.String({ enum: Object.keys(ERROR_TABLE), description: 'Stable error code' }),
    message: Type.String(),
    request_id: Type.String(),
    attempts_left: Type.Optional(
      Type.Integer({
        minimum: 0,
        description:
          'On passphrase_invalid and link_key_invalid: wrong attempts the share still takes before it is burned.',
      }),
    ),
  },
  { description: 'Every error hush returns has this shape.' },
);

/** Error responses for OpenAPI and serialization: one shape for every 4xx and 5xx. */
export const errorResponses = { '4xx': ErrorResponse, '5xx': ErrorResponse } as const;

export const SecretKeyParams = Type.Object({
  secretKey: Type.String({ description: 'The share token from the link' }),
});
export const ReceiptKeyParams = Type.Object({
  receiptKey: Type.String({ description: 'The receipt token' }),
});

/**
 * Plain text limits before the service applies its (runtime) size setting. The examples are what
 * the docs UI fills in for "Try it out": each must pass the default settings as it stands.
 */
export const SecretText = Type.String({
  minLength: 1,
  maxLength: 1_048_576,
  description: 'The secret (UTF-8)',
  example: 'db password: hunter2',
});
export const PassphraseText = Type.String({ minLength: 1, maxLength: 1024, example: 'blue harvest' });
/**
 * 32 bytes, base64url without padding: the link verifier and its proof (src/client/link-key-check.ts).
 * The example is null: a share made from the docs UI is a plain API share, revealed without a proof.
 */
export const KeyCheckText = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', example: null });
export const TtlSeconds = Type.Integer({
  minimum: 1,
  maximum: 315_360_000,
  description: 'Seconds until expiry (within the shares.ttl_min_seconds … ttl_max_seconds settings)',
  example: 3600,
});
