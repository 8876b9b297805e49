import { HushError } from '../errors/hush-error.js';
import { secondsWithWords } from '../format/human-duration.js';
import type { ShareSettings } from '../settings/share-settings.js';
import type { CreateShareInput } from './share-types.js';

/** Longer passphrases only cost Argon2id time; nobody types more than this. */
export const MAX_PASSPHRASE_LENGTH = 1024;

const KEY_CHECK = /^[A-Za-z0-9_-]{43}$/;

/** Applies the runtime limits that schemas cannot know: size, TTL bounds, view bounds. */
export function validateCreateInput(
  input: CreateShareInput,
  settings: ShareSettings,
): { ttlSeconds: number; maxViews: number } {
  if (input.secret.length === 0) throw new HushError('bad_request', 'secret must not be empty.');
  // Lone surrogates cannot be encoded as UTF-8 and would be silently replaced: refuse them.
  if (!input.secret.isWellFormed() || (input.passphrase !== undefined && !input.passphrase.isWellFormed())) {
    throw new HushError('invalid_utf8');
  }
  if (Buffer.byteLength(input.secret, 'utf8') > settings.maxBytes) {
    throw new HushError('secret_too_large', `The secret is larger than ${settings.maxBytes} bytes of UTF-8.`);
  }
  if (input.passphrase !== undefined && input.passphrase.length > MAX_PASSPHRASE_LENGTH) {
    throw new HushError('bad_request', `passphrase must be at most ${MAX_PASSPHRASE_LENGTH} characters.`);
  }
  if (input.keyCheck !== undefined && !KEY_CHECK.test(input.keyCheck)) {
    throw new HushError('bad_request', 'key_check must be 32 bytes in base64url (43 characters).');
  }
  const ttlSeconds = input.ttlSeconds ?? settings.ttlDefaultSeconds;
  if (ttlSeconds < settings.ttlMinSeconds || ttlSeconds > settings.ttlMaxSeconds) {
    throw new HushError(
      'ttl_out_of_range',
      `ttl_seconds must be between ${secondsWithWords(settings.ttlMinSeconds)} and ${secondsWithWords(settings.ttlMaxSeconds)}.`,
    );
  }
  const maxViews = input.maxViews ?? 1;
  if (maxViews < 1 || maxViews > settings.maxViews) {
    throw new HushError('max_views_out_of_range', `max_views must be between 1 and ${settings.maxViews}.`);
  }
  return { ttlSeconds, maxViews };
}
