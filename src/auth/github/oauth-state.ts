import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newToken, parseToken } from '../../crypto/tokens.js';

/** A fresh web flow: the state for the browser (only its hash is stored) and the PKCE pair. */
export interface NewFlow {
  readonly state: string;
  readonly stateHash: string;
  /** RFC 7636: 32 random bytes, base64url (43 characters). */
  readonly codeVerifier: string;
  /** base64url(SHA-256(codeVerifier)), for code_challenge_method=S256. */
  readonly codeChallenge: string;
}

export function newFlow(): NewFlow {
  const state = newToken();
  const codeVerifier = randomBytes(32).toString('base64url');
  return {
    state: state.text,
    stateHash: state.hash,
    codeVerifier,
    codeChallenge: pkceChallenge(codeVerifier),
  };
}

export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier).digest('base64url');
}

/** The stored hash of a state from the callback, or undefined when it cannot be one of ours. */
export function stateHashOf(state: string): string | undefined {
  return parseToken(state)?.hash;
}

/** Whether the callback's state is the one the browser's cookie carries (login CSRF). */
export function sameState(state: string, cookie: string | undefined): boolean {
  if (cookie === undefined) return false;
  const a = Buffer.from(state);
  const b = Buffer.from(cookie);
  return a.length === b.length && timingSafeEqual(a, b);
}
