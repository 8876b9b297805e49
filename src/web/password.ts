/** No 0/O, 1/l/I or look-alike symbols: a generated passphrase can be read out or typed from a screen. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const GENERATED_LENGTH = 24;

/** A random passphrase from the browser's CSPRNG; rejection sampling keeps every character equally likely. */
export function generatePassphrase(length = GENERATED_LENGTH): string {
  const limit = 256 - (256 % ALPHABET.length);
  let out = '';
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < limit && out.length < length) out += ALPHABET.charAt(byte % ALPHABET.length);
    }
  }
  return out;
}
