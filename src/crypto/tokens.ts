import { hash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url without padding: the bearer part of a share link or receipt. */
export const TOKEN_BYTES = 32;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface Token {
  /** What the client gets; never stored. */
  readonly text: string;
  readonly bytes: Buffer;
  /** What the store keeps for lookup. */
  readonly hash: string;
}

export function newToken(): Token {
  const bytes = randomBytes(TOKEN_BYTES);
  return { text: bytes.toString('base64url'), bytes, hash: hashTokenBytes(bytes) };
}

/** Parses a client-supplied token; undefined when it cannot be one of ours. */
export function parseToken(text: string): Token | undefined {
  if (!TOKEN_PATTERN.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  // Reject non-canonical encodings (stray low bits in the last character) so one token has one text.
  if (bytes.length !== TOKEN_BYTES || bytes.toString('base64url') !== text) return undefined;
  return { text, bytes, hash: hashTokenBytes(bytes) };
}

/**
 * SHA-256 is enough here: tokens carry 256 bits of entropy, so the hash cannot be reversed or
 * guessed, and lookups stay a single indexed equality.
 */
function hashTokenBytes(bytes: Buffer): string {
  // The one-shot form: no Hash object per request (every authenticated request hashes its token).
  return hash('sha256', bytes, 'base64url');
}

/** A public identifier (share id, event id): random, unrelated to any token. */
export function newPublicId(): string {
  return randomBytes(16).toString('base64url');
}
