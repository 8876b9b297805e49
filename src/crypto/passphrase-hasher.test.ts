import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createPassphraseHasher } from './passphrase-hasher.js';

describe('passphrase hasher', () => {
  const hasher = createPassphraseHasher({ threads: 2 });
  afterAll(() => hasher.close());

  it('hashes with Argon2id (19 MiB, t=2) and verifies', async () => {
    const encoded = await hasher.hash('correct horse');
    expect(encoded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(encoded).not.toContain('correct horse');
    expect(await hasher.verify(encoded, 'correct horse')).toBe(true);
    expect(await hasher.verify(encoded, 'wrong')).toBe(false);
  });

  it('treats a corrupt stored hash as a mismatch', async () => {
    expect(await hasher.verify('garbage', 'x')).toBe(false);
  });

  it('runs many jobs through few threads, and keeps the event loop free meanwhile', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const hashes = await Promise.all(Array.from({ length: 8 }, (_, i) => hasher.hash(`p${i}`)));
    clearInterval(timer);
    expect(new Set(hashes).size).toBe(8);
    expect(await Promise.all(hashes.map((h, i) => hasher.verify(h, `p${i}`)))).toEqual(Array(8).fill(true));
    expect(ticks).toBeGreaterThan(10);
  });

  it('hashes on threads at the lowest OS priority', async () => {
    await hasher.hash('wake the workers');
    const nices = readdirSync('/proc/self/task').map(
      (tid) => readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]?.split(' ')[16],
    );
    expect(nices.filter((n) => n === '19')).toHaveLength(2);
    expect(nices).toContain('0'); // the event loop's thread keeps normal priority
  });

  it('refuses work after close', async () => {
    const closing = createPassphraseHasher({ threads: 1 });
    await closing.close();
    await expect(closing.hash('x')).rejects.toThrow(/closed/);
  });
});
