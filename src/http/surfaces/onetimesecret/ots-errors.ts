import { Type } from 'typebox';
import type { ErrorShape, MappedError } from '../../plugins/error-shapes.js';

/** What onetimesecret says to a missing, used, burned or expired secret, and to a wrong passphrase. */
export const UNKNOWN_SECRET = 'Unknown secret';
/** What it says to bad credentials: its clients match this text. */
export const NOT_AUTHORIZED = 'Not authorized';
/** Its rate-limit text, which its clients match too. */
const RATE_LIMITED = 'Apologies dear citizen! You have been rate limited.';

/** Codes onetimesecret answers with one of its own texts; the rest keep hush's message. */
const OTS_MESSAGES: Readonly<Record<string, string>> = {
  not_found: UNKNOWN_SECRET,
  passphrase_required: UNKNOWN_SECRET,
  passphrase_invalid: UNKNOWN_SECRET,
  passphrase_attempts_exhausted: UNKNOWN_SECRET,
  unauthorized: NOT_AUTHORIZED,
  invalid_token: NOT_AUTHORIZED,
  insufficient_scope: NOT_AUTHORIZED,
  forbidden: NOT_AUTHORIZED,
  rate_limited: RATE_LIMITED,
};

/**
 * onetimesecret's v1 answers every refusal with 404 and newer servers name the status they meant
 * in X-OTS-Intended-Status; its clients read only the message. Server faults (5xx) stay what they
 * are, as onetimesecret's own do.
 */
function toOtsError(error: MappedError): MappedError {
  const message = OTS_MESSAGES[error.code] ?? error.message;
  if (error.status >= 500) return { ...error, message };
  return { ...error, status: 404, message };
}

const OtsError = Type.Object(
  { message: Type.String() },
  {
    description:
      'onetimesecret’s error shape: 404 with the message (X-OTS-Intended-Status holds the status meant).',
  },
);

/** `404 {"message": "…"}` with `X-OTS-Intended-Status`, for the onetimesecret surface. */
export const otsErrorShape: ErrorShape = {
  body: (error) => ({ message: error.message }),
  responses: { '4xx': OtsError, '5xx': OtsError },
  restate: toOtsError,
  headers: (error): Record<string, string> =>
    error.status < 500 ? { 'x-ots-intended-status': String(error.status) } : {},
};
