/** The body budgets routes choose from: bytes and JSON values by what a body carries. */
import { MAX_POLICY_PATH } from '../secrets/policy-glob.js';
import {
  MAX_KV_KEYS,
  MAX_METADATA_ENTRIES,
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_VALUE_LENGTH,
  MAX_VERSIONS_PER_CALL,
} from '../secrets/secret-limits.js';
import { MAX_SECRET_BYTES, type SettingsReader } from '../settings/setting-definitions.js';

const KIB = 1024;

/**
 * JSON may carry one character of text as a six-byte `\u0001` escape (twelve for a surrogate pair,
 * which is four UTF-8 bytes): a text field of N UTF-8 bytes can legitimately need 6 N bytes.
 */
const ESCAPED = 6;

/**
 * A surface's body limits, next to its routes: one entry for every route that reads a body, keyed
 * by method and path below the surface's prefix (`POST /shares`). A body-taking route missing from
 * its surface's table fails at start (src/http/plugins/body-limit.ts).
 */
export type BodyLimitTable = Readonly<Record<string, BodyLimit>>;

/** What one route may receive: bytes (refused with 413 before reading) and JSON values. */
export interface BodyLimit {
  /** The most bytes any configuration allows; the route's fixed Fastify bodyLimit. */
  readonly bytes: number;
  /** The limit under the settings as they are now, when a runtime setting sizes the body. */
  readonly live?: (settings: SettingsReader) => number;
  /**
   * The most JSON values (strings, keys, array items, objects) the body may hold, counted before it
   * is parsed, so that no body makes the parser, the NUL scan or the validator do unbounded work.
   */
  readonly values: number;
}

/** Burn by receipt, revoke a session, reset a setting, delete a user: an empty or tiny body. */
export const EMPTY: BodyLimit = { bytes: 4 * KIB, values: 16 };
/** A passphrase (≤ 1024 characters) with room for a link-key proof. */
export const PASSPHRASE: BodyLimit = { bytes: 16 * KIB, values: 16 };
/** A sign-in or a token call: username, password (≤ 1024 characters), scope, client id and secret. */
export const SIGN_IN: BodyLimit = { bytes: 32 * KIB, values: 64 };

const shareText = (maxBytes: number) => maxBytes * ESCAPED + PASSPHRASE.bytes;
/** A share: its text (the `shares.max_bytes` setting, escaped) plus passphrase and options. */
export const SHARE: BodyLimit = {
  bytes: shareText(MAX_SECRET_BYTES),
  live: (settings) => shareText(settings.get('shares.max_bytes')),
  values: 32,
};

const METADATA_BYTES = MAX_METADATA_ENTRIES * (MAX_METADATA_KEY_LENGTH + MAX_METADATA_VALUE_LENGTH) * ESCAPED;
const secretText = (maxBytes: number) => maxBytes * ESCAPED + METADATA_BYTES + 4 * KIB;
/**
 * A stored secret: its value or KV data (the `secrets.max_bytes` setting, escaped: data's keys count
 * in it) plus its metadata; a KV merge patch too.
 */
export const SECRET: BodyLimit = {
  bytes: secretText(MAX_SECRET_BYTES),
  live: (settings) => secretText(settings.get('secrets.max_bytes')),
  // Each data or metadata entry is a key, a value and a comma; name, value, TTL and CAS take a few more.
  values: (MAX_KV_KEYS + MAX_METADATA_ENTRIES) * 3 + 32,
};

/** A list of version numbers (KV delete, undelete, destroy). */
export const VERSIONS: BodyLimit = { bytes: 8 * KIB, values: MAX_VERSIONS_PER_CALL * 2 + 16 };
/** A secret's KV settings: a few numbers and its custom metadata. */
export const SECRET_SETTINGS: BodyLimit = {
  bytes: METADATA_BYTES + 4 * KIB,
  values: MAX_METADATA_ENTRIES * 3 + 32,
};

/** A policy: one rule, a path glob (escaped) with its subject and a few capabilities. */
export const POLICY: BodyLimit = { bytes: 16 * KIB + MAX_POLICY_PATH * ESCAPED, values: 64 };
/** A setting: the largest value is `github.role_mapping` (up to 1000 entries). */
export const SETTING: BodyLimit = { bytes: 256 * KIB, values: 4096 };

/** The bytes a route accepts under the settings as they are now. */
export function liveBodyBytes(limit: BodyLimit, settings: SettingsReader): number {
  return limit.live?.(settings) ?? limit.bytes;
}

/** Routes that read no body (GET, HEAD) and anything unlisted answer 413 past this. */
export const DEFAULT_BODY_LIMIT = EMPTY;
