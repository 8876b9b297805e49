import { newToken, parseToken, type Token } from '../crypto/tokens.js';
import type { TokenKind } from '../storage/token-store.js';

/**
 * Bearer tokens carry a kind prefix: a refresh token can never pass as an access token, and
 * secret scanners can recognise a leaked hush token by its prefix.
 */
const PREFIX: Record<TokenKind, string> = { access: 'hush_at_', refresh: 'hush_rt_' };

export interface BearerToken extends Token {
  readonly kind: TokenKind;
  /** The full text the client holds: prefix and 256 random bits. */
  readonly bearer: string;
}

export function newBearerToken(kind: TokenKind): BearerToken {
  const token = newToken();
  return { ...token, kind, bearer: PREFIX[kind] + token.text };
}

/** Parses a client's token text; undefined when it cannot be a hush token. */
export function parseBearerToken(text: string): BearerToken | undefined {
  for (const kind of ['access', 'refresh'] as const) {
    if (!text.startsWith(PREFIX[kind])) continue;
    const token = parseToken(text.slice(PREFIX[kind].length));
    return token && { ...token, kind, bearer: text };
  }
  return undefined;
}
