import { newToken, parseToken, type Token } from '../crypto/tokens.js';

/**
 * A secret_id is 256 random bits behind a prefix, like hush's bearer tokens: secret scanners can
 * recognise a leaked one, and it can never pass for a token. Only its SHA-256 is stored.
 */
const PREFIX = 'hush_sid_';

export interface SecretIdText extends Token {
  /** The full text the machine holds. */
  readonly secretId: string;
}

export function newSecretId(): SecretIdText {
  const token = newToken();
  return { ...token, secretId: PREFIX + token.text };
}

/** Parses a client's secret_id; undefined when it cannot be one. */
export function parseSecretId(text: string): SecretIdText | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const token = parseToken(text.slice(PREFIX.length));
  return token && { ...token, secretId: text };
}
