import { describe, expect, it } from 'vitest';
import { hashPassphrase, verifyPassphrase } from './passphrase-hasher.js';

describe('passphrase hasher', () => {
  it('hashes with Argon2id (19 MiB, t=2) and verifies', async () => {
    const encoded = await hashPassphrase('correct horse');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(encoded).not.toContain('correct horse');
    expect(await verifyPassphrase(encoded, 'correct horse')).toBe(true);
    expect(await verifyPassphrase(encoded, 'wrong')).toBe(false);
  });

  it('treats a corrupt stored hash as a mismatch', async () => {
    expect(await verifyPassphrase('garbage', 'x')).toBe(false);
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hashPassphrase('a'), hashPassphrase('b')]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });
});
