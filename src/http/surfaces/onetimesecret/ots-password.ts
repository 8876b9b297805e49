import { randomInt } from 'node:crypto';

/** Letters and digits without the look-alikes (0/O, 1/l/I), so a generated password reads back. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** onetimesecret's `generate` makes 12 characters; hush makes 16 (about 93 bits), from the CSPRNG. */
export const GENERATED_LENGTH = 16;

export function generatePassword(length = GENERATED_LENGTH): string {
  let password = '';
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}
