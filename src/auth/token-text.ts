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
  const kind = text.startsWith(PREFIX.access)
    ? 'access'
    : text.startsWith(PREFIX.refresh)
      ? 'refresh'
      : undefined;
  if (kind === undefined) return undefined;
  const token = parseToken(text.slice(PREFIX[kind].length));
  return token && { text: token.text, bytes: token.bytes, hash: token.hash, kind, bearer: text };
}
