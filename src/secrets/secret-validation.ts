import { HushError } from '../errors/hush-error.js';
import {
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  MAX_NAME_LENGTH,
  MAX_TTL_SECONDS,
} from './secret-limits.js';
import type { SecretMetadata } from './secret-types.js';

const SEGMENT = /^[A-Za-z0-9._-]+$/;

/** Whether `name` is a secret path: `/`-separated segments of [A-Za-z0-9._-], none `.` or `..`. */
export function isSecretName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  return name.split('/').every((segment) => SEGMENT.test(segment) && segment !== '.' && segment !== '..');
}

export function validateName(name: string): string {
  if (!isSecretName(name)) {
    throw new HushError(
      'invalid_secret',
      `name must be up to ${MAX_NAME_LENGTH} characters: segments of letters, digits, ".", "_" and "-" ` +
        'separated by "/", none empty, "." or "..".',
    );
  }
  return name;
}

/** Rejects a value larger than `maxBytes` UTF-8 bytes with secret_too_large (413). */
export function validateValue(value: string, maxBytes: number): string {
  if (Buffer.byteLength(value, 'utf8') > maxBytes) throw new HushError('secret_too_large');
  return value;
}

/** A fresh plain object of the entries (never the caller's), or invalid_secret. */
export function validateMetadata(metadata: SecretMetadata | undefined): SecretMetadata {
  const entries = Object.entries(metadata ?? {});
  const fits = ([key, value]: [string, unknown]) =>
    key.length >= 1 &&
    key.length <= MAX_METADATA_KEY_LENGTH &&
    typeof value === 'string' &&
    value.length <= MAX_METADATA_VALUE_LENGTH;
  if (entries.length > MAX_METADATA_ENTRIES || !entries.every(fits)) {
    throw new HushError(
      'invalid_secret',
      `metadata must be at most ${MAX_METADATA_ENTRIES} string entries, keys of 1 to ` +
        `${MAX_METADATA_KEY_LENGTH} characters, values of at most ${MAX_METADATA_VALUE_LENGTH}.`,
    );
  }
  return Object.fromEntries(entries);
}

/** The expiry for `ttlSeconds` from `now` (epoch ms), or undefined for no TTL. */
export function expiryFor(ttlSeconds: number | undefined, now: number): number | undefined {
  if (ttlSeconds === undefined) return undefined;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new HushError('ttl_out_of_range');
  }
  return now + ttlSeconds * 1000;
}
