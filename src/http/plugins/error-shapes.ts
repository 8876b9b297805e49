import { type TSchema, Type } from 'typebox';
import type { ErrorCode } from '../../errors/error-table.js';
import { errorResponses } from '../schemas/common-schemas.js';

/** One error as the error table maps it, before a surface writes it in its own shape. */
export interface MappedError {
  readonly code: ErrorCode;
  readonly status: number;
  readonly message: string;
  /** Only on answers to a wrong passphrase or link key. */
  readonly attemptsLeft?: number | undefined;
}

/**
 * How a surface writes an error body. Status codes and headers come from the one table and are the
 * same everywhere; only the body differs. `responses` is what the surface's routes declare for 4xx
 * and 5xx: Fastify serializes a reply through its route's schema, so body and schema go together.
 */
export interface ErrorShape {
  readonly body: (error: MappedError, requestId: string) => unknown;
  readonly responses: { readonly '4xx': TSchema; readonly '5xx': TSchema };
  /**
   * For a protocol whose clients expect other statuses than the table's (Vault answers 403 to a
   * bad token, 400 to a check-and-set mismatch): restates the mapped error before it is written.
   */
  readonly restate?: (error: MappedError) => MappedError;
  /** Headers of the surface's own for an error, from the error as the table mapped it (before `restate`). */
  readonly headers?: (error: MappedError) => Readonly<Record<string, string>>;
}

/** hush's shape, on the native and compat surfaces: `{error, message, request_id}`. */
export const hushErrorShape: ErrorShape = {
  body: (error, requestId) => ({
    error: error.code,
    message: error.message,
    request_id: requestId,
    ...(error.attemptsLeft !== undefined && { attempts_left: error.attemptsLeft }),
  }),
  responses: errorResponses,
};

const VaultErrors = Type.Object(
  { errors: Type.Array(Type.String()) },
  { description: 'Vault’s error shape: the messages only.' },
);

/** Vault's shape, `{"errors": ["…"]}`, for a surface that Vault clients talk to. */
export const vaultErrorShape: ErrorShape = {
  body: (error) => ({ errors: [error.message] }),
  responses: { '4xx': VaultErrors, '5xx': VaultErrors },
};
