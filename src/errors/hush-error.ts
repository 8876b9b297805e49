import { ERROR_TABLE, type ErrorCode } from './error-table.js';

/** A domain error with a stable code; the HTTP layer maps it through ERROR_TABLE. */
export class HushError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERROR_TABLE[code].message);
    this.name = 'HushError';
    this.code = code;
  }
}

export function isHushError(value: unknown): value is HushError {
  return value instanceof HushError;
}
