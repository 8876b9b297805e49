import type { FastifyReply, FastifyRequest } from 'fastify';
import { isHushError } from '../../../errors/hush-error.js';
import { type ErrorShape, type MappedError, vaultErrorShape } from '../../plugins/error-shapes.js';

/** What Vault says to a missing or bad token and to anything the caller may not do. */
export const PERMISSION_DENIED = 'permission denied';

/**
 * Codes whose status Vault's clients read differently from the table's, by what they mean to
 * Vault. Codes added by other parts of hush (the KV and machine services) are named here as
 * text, so this table holds whether or not they exist yet in the one table.
 */
const VAULT_STATUS: Readonly<Record<string, 400 | 403 | 404>> = {
  // A missing secret is `404 {"errors":[]}`: the Go client reads it as "no value", not a failure.
  not_found: 404,
  version_deleted: 404,
  version_destroyed: 404,
  github_disabled: 404,
  // Vault has no 401: a missing, invalid or under-scoped token and a refused action are all 403.
  unauthorized: 403,
  invalid_token: 403,
  insufficient_scope: 403,
  forbidden: 403,
  // KV v2 reports a check-and-set mismatch as a bad request, not a conflict.
  cas_mismatch: 400,
};

/**
 * hush's error, as Vault would answer it: the table gives the code and hush's message, Vault's
 * habits give the status; a 5xx says nothing more than Vault's "internal error".
 */
export function toVaultError(error: MappedError): MappedError {
  const status = VAULT_STATUS[error.code] ?? error.status;
  if (status === 404) return { ...error, status, message: '' };
  if (status === 403) {
    // Over plain HTTP on an HTTPS-only server, say why: nothing about the caller is told.
    return { ...error, status, message: error.code === 'https_required' ? error.message : PERMISSION_DENIED };
  }
  if (status === 401) return { ...error, status: 403, message: PERMISSION_DENIED };
  // Conflicts (a name in use) are bad requests to Vault's clients, which know no 409.
  if (status === 409 || status === 410) return { ...error, status: 400 };
  if (status === 503) return error;
  if (status >= 500) return { ...error, status: 500, message: 'internal error' };
  return { ...error, status };
}

/** Vault's `{"errors":[…]}`, with Vault's statuses; a not-found answers `{"errors":[]}`. */
export const vaultShape: ErrorShape = {
  body: (error) => ({ errors: error.message === '' ? [] : [error.message] }),
  responses: vaultErrorShape.responses,
  restate: toVaultError,
};

/** Unknown paths below /v1, as Vault answers them (without echoing the path, which names secrets). */
export function vaultNotFound(_request: FastifyRequest, reply: FastifyReply) {
  return reply.code(404).send({ errors: ['no handler for route'] });
}

/** `404 {"errors":[]}`: what Vault answers for an empty list or a missing entry. */
export function sendVaultNotFound(reply: FastifyReply) {
  return reply.code(404).send({ errors: [] });
}

/** Whether `error` is the hush error `code` (codes other parts of hush add are named as text). */
export const hasCode = (error: unknown, code: string): boolean =>
  isHushError(error) && (error.code as string) === code;

/**
 * A delete, undelete or destroy as Vault answers it: done (the caller sends 204) when there is no
 * such secret, or one the caller may not read (so no existence oracle). A readable secret without
 * the capability stays forbidden (403), and any other error stays what it is.
 */
export async function doneIfAbsent(change: Promise<void>): Promise<void> {
  try {
    await change;
  } catch (error) {
    if (!hasCode(error, 'not_found')) throw error;
  }
}
