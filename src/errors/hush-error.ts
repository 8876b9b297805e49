import { ERROR_TABLE, type ErrorCode } from './error-table.js';

export interface HushErrorOptions {
  /** Stays on the server (start-up messages); clients only ever see code, message and the fields below. */
  readonly cause?: unknown;
  /** Wrong passphrases or link keys this share still takes before it burns (sent as `attempts_left`). */
  readonly attemptsLeft?: number;
}

/** A domain error with a stable code; the HTTP layer maps it through ERROR_TABLE. */
export class HushError extends Error {
  readonly code: ErrorCode;
  readonly attemptsLeft: number | undefined;

  constructor(code: ErrorCode, message?: string, options?: HushErrorOptions) {
    super(
      message ?? ERROR_TABLE[code].message,
      options?.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'HushError';
    this.code = code;
    this.attemptsLeft = options?.attemptsLeft;
  }
}

export function isHushError(value: unknown): value is HushError {
  return value instanceof HushError;
}
