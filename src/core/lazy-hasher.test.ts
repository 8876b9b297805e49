import { describe, expect, it } from 'vitest';
import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { lazyHasher } from './lazy-hasher.js';

/** A hasher that records what was asked of it (no Argon2 here: the wrapper is under test). */
function recording() {
  const calls: string[] = [];
  const hasher: PassphraseHasher = {
    hash: async (passphrase) => {
      calls.push('hash');
      return `h:${passphrase.length}`;
    },
    verify: async () => {
      calls.push('verify');
      return true;
    },
    close: async () => {
      calls.push('close');
    },
  };
  return { hasher, calls };
}

describe('lazy hasher', () => {
  it('opens the pool with the first hash or verify, once', async () => {
    const inner = recording();
    let opened = 0;
    const hasher = lazyHasher(() => {
      opened++;
      return inner.hasher;
    });
    expect(opened).toBe(0);
    expect(await hasher.hash('abc')).toBe('h:3');
    expect(await hasher.verify('h:3', 'abc')).toBe(true);
    expect(opened).toBe(1);
    await hasher.close();
    expect(inner.calls).toEqual(['hash', 'verify', 'close']);
  });

  it('closes without opening a pool that was never used, and refuses afterwards', async () => {
    let opened = 0;
    const hasher = lazyHasher(() => {
      opened++;
      return recording().hasher;
    });
    await hasher.close();
    await expect(hasher.hash('abc')).rejects.toMatchObject({ code: 'unavailable' });
    await expect(hasher.verify('x', 'abc')).rejects.toMatchObject({ code: 'unavailable' });
    expect(opened).toBe(0);
  });
});
