import { looksLikeRequestEnvelope, requestEnvelopeLength } from '../client/request-envelope.js';
import { HushError } from '../errors/hush-error.js';
import { secondsWithWords } from '../format/human-duration.js';
import type { ShareSettings } from '../settings/share-settings.js';

import { MAX_NOTE_LENGTH } from './request-types.js';

/** The note and TTL of a new request (TTL bounds as shares'). */
export function validateRequestInput(
  input: { note?: string | undefined; ttlSeconds?: number | undefined },
  settings: ShareSettings,
): { note: string; ttlSeconds: number } {
  const note = input.note ?? '';
  if (!note.isWellFormed()) throw new HushError('invalid_utf8');
  if ([...note].length > MAX_NOTE_LENGTH) {
    throw new HushError('bad_request', `note must be at most ${MAX_NOTE_LENGTH} characters.`);
  }
  const ttlSeconds = input.ttlSeconds ?? settings.ttlDefaultSeconds;
  if (ttlSeconds < settings.ttlMinSeconds || ttlSeconds > settings.ttlMaxSeconds) {
    throw new HushError(
      'ttl_out_of_range',
      `ttl_seconds must be between ${secondsWithWords(settings.ttlMinSeconds)} and ${secondsWithWords(settings.ttlMaxSeconds)}.`,
    );
  }
  return { note, ttlSeconds };
}

/** An answer must be a client envelope (the server cannot read it) of at most `shares.max_bytes`. */
export function validateAnswer(answer: string, settings: ShareSettings): void {
  if (answer.length > requestEnvelopeLength(settings.maxBytes)) {
    throw new HushError('secret_too_large', `The answer is larger than ${settings.maxBytes} bytes.`);
  }
  if (!looksLikeRequestEnvelope(answer)) throw new HushError('answer_invalid');
}
