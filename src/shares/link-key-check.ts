import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The server's half of the link check (src/client/link-key-check.ts is the client's): a client
 * sends a verifier it derived from the link's content key with HKDF (never the key itself); the
 * store keeps only its SHA-256, and a reveal proves the link by sending the verifier again. A
 * database copy therefore holds neither the key nor a working proof.
 */
export function hashKeyCheck(verifier: string): string {
  return createHash('sha256').update(Buffer.from(verifier, 'base64url')).digest('hex');
}

/** Whether a proof matches the stored hash, compared in constant time. */
export function keyProofMatches(storedHash: string, proof: string): boolean {
  const expected = Buffer.from(storedHash, 'hex');
  const given = Buffer.from(hashKeyCheck(proof), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
