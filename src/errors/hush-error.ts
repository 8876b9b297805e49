import { ERROR_TABLE, type ErrorCode } from './error-table.js';

/** A domain error with a stable code; the HTTP layer maps it through ERROR_TABLE. */
export class HushError extends Error {
  readonly code: ErrorCode;

  /** `cause` stays on the server (start-up messages); clients only ever see code and message. */
  constructor(code: ErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? ERROR_TABLE[code].message, options);
    this.name = 'HushError';
    this.code = code;
  }
}

export function isHushError(value: unknown): value is HushError {
  return value instanceof HushError;
}
