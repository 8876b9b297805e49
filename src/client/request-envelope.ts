/**
 * The shape of an answer to a secret request, as the server checks it without reading it
 * (docs/requests.md): "hr1." + base64url(responder's ephemeral P-256 public key, uncompressed
 * [65] || nonce [12] || AES-256-GCM ciphertext || tag [16]). request-crypto.ts makes and opens it.
 */
export const REQUEST_ENVELOPE_PREFIX = 'hr1.';
export const PUBLIC_KEY_BYTES = 65;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

const BODY = /^[A-Za-z0-9_-]+$/;

/** The longest envelope text of an answer of at most `maxBytes` UTF-8 bytes. */
export function requestEnvelopeLength(maxBytes: number): number {
  const bytes = PUBLIC_KEY_BYTES + NONCE_BYTES + maxBytes + TAG_BYTES;
  return REQUEST_ENVELOPE_PREFIX.length + Math.ceil((bytes * 4) / 3);
}

/** Whether `text` has the envelope's shape (prefix, base64url, room for key, nonce and tag). */
export function looksLikeRequestEnvelope(text: string): boolean {
  if (!text.startsWith(REQUEST_ENVELOPE_PREFIX)) return false;
  const body = text.slice(REQUEST_ENVELOPE_PREFIX.length);
  return body.length >= requestEnvelopeLength(0) - REQUEST_ENVELOPE_PREFIX.length && BODY.test(body);
}
