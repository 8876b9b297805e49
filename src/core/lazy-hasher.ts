import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import { HushError } from '../errors/hush-error.js';

/**
 * A hasher whose pool is opened by the first hash or verify: a command that never hashes (`hush
 * user list`) never builds one. After close() it refuses as a closed pool does.
 */
export function lazyHasher(open: () => PassphraseHasher): PassphraseHasher {
  let hasher: PassphraseHasher | undefined;
  let closed = false;
  const opened = () => {
    if (closed) throw new HushError('unavailable');
    hasher ??= open();
    return hasher;
  };
  return {
    hash: async (passphrase) => opened().hash(passphrase),
    verify: async (encoded, passphrase) => opened().verify(encoded, passphrase),
    async close() {
      closed = true;
      await hasher?.close();
    },
  };
}
