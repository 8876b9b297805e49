import { hash, verify } from '@node-rs/argon2';

/** Algorithm.Argon2id; the enum is `const` and cannot be imported under verbatimModuleSyntax. */
const ARGON2ID = 2;

/**
 * Argon2id with OWASP's minimum profile (19 MiB, t=2, p=1). @node-rs/argon2's async calls run on
 * libuv's thread pool, so hashing never blocks the event loop.
 */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

export function hashPassphrase(passphrase: string): Promise<string> {
  return hash(passphrase, ARGON2_OPTIONS);
}

export async function verifyPassphrase(encoded: string, passphrase: string): Promise<boolean> {
  try {
    return await verify(encoded, passphrase);
  } catch {
    return false;
  }
}
