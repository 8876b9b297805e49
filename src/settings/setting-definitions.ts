import { type Static, type TSchema, Type } from 'typebox';
import { ROLES } from '../auth/user-types.js';
import type { Config } from '../config/config.js';

const DAY = 86_400;
const MIB = 1024 * 1024;

/** The most any size setting (`shares.max_bytes`, `secrets.max_bytes`) may be raised to. */
export const MAX_SECRET_BYTES = MIB;
/** The most `shares.max_file_bytes` may be raised to: 1 GiB of files per share. */
export const MAX_FILE_BYTES = 1024 * MIB;

interface Definition<S extends TSchema> {
  readonly schema: S;
  readonly description: string;
  /** The value while no one has changed it: the HUSH_* variable where there is one. */
  readonly fallback: (config: Config) => Static<S>;
}

const define = <S extends TSchema>(definition: Definition<S>) => definition;
const seconds = (minimum: number, maximum: number) => Type.Integer({ minimum, maximum });

/**
 * Every runtime setting: its type and bounds (a TypeBox schema), what it does and its default.
 * Cross-setting rules (a minimum not above its maximum) live in the settings service.
 */
export const SETTING_DEFINITIONS = {
  'shares.ttl_default_seconds': define({
    schema: seconds(1, 365 * DAY),
    description: 'Lifetime of a share whose creator gives none.',
    fallback: (c) => c.shares.ttlDefaultSeconds,
  }),
  'shares.ttl_min_seconds': define({
    schema: seconds(1, 365 * DAY),
    description: 'Shortest lifetime a creator may ask for.',
    fallback: (c) => c.shares.ttlMinSeconds,
  }),
  'shares.ttl_max_seconds': define({
    schema: seconds(1, 365 * DAY),
    description: 'Longest lifetime a creator may ask for.',
    fallback: (c) => c.shares.ttlMaxSeconds,
  }),
  'shares.max_bytes': define({
    schema: Type.Integer({ minimum: 1, maximum: MAX_SECRET_BYTES }),
    description: 'Largest share secret, in UTF-8 bytes.',
    fallback: (c) => c.shares.maxBytes,
  }),
  'shares.max_file_bytes': define({
    schema: Type.Integer({ minimum: 1, maximum: MAX_FILE_BYTES }),
    description: 'Most plaintext bytes of all the files of one share (docs/files.md).',
    fallback: () => 25 * MIB,
  }),
  'shares.max_views': define({
    schema: Type.Integer({ minimum: 1, maximum: 100 }),
    description: 'Most views a creator may allow one share.',
    fallback: (c) => c.shares.maxViews,
  }),
  'shares.passphrase_max_attempts': define({
    schema: Type.Integer({ minimum: 1, maximum: 100 }),
    description: 'Wrong passphrases after which a share is burned.',
    fallback: (c) => c.shares.passphraseMaxAttempts,
  }),
  'shares.retention_seconds': define({
    schema: seconds(0, 3650 * DAY),
    description: 'How long the content-free record of an ended share is kept for its receipt.',
    fallback: (c) => c.shares.retentionSeconds,
  }),
  'events.retention_seconds': define({
    schema: seconds(0, 3650 * DAY),
    description: 'How long audit events are kept; 0 keeps them forever.',
    fallback: (c) => c.eventRetentionSeconds,
  }),
  'tokens.access_ttl_seconds': define({
    schema: seconds(60, 30 * DAY),
    description: 'Lifetime of an access token when the request gives none, and its upper bound.',
    fallback: () => 3600,
  }),
  'tokens.refresh_ttl_seconds': define({
    schema: seconds(60, 365 * DAY),
    description: 'Lifetime of a refresh token.',
    fallback: () => 7 * DAY,
  }),
  'tokens.max_ttl_seconds': define({
    schema: seconds(60, 365 * DAY),
    description: 'Max TTL: no token of a session outlives this, however often it is renewed.',
    fallback: () => 30 * DAY,
  }),
  'github.max_ttl_seconds': define({
    schema: seconds(60, 365 * DAY),
    description:
      'Max TTL of sessions from GitHub sign-in: the role mapping is re-read at the next sign-in, ' +
      'so this bounds how long a removed org or team membership keeps its role.',
    fallback: () => 8 * 3600,
  }),
  'auth.password_login': define({
    schema: Type.Boolean(),
    description: 'Whether accounts may sign in with a password (the OAuth2 password grant).',
    fallback: () => true,
  }),
  'github.role_mapping': define({
    schema: Type.Record(
      Type.String({ pattern: '^(org:[A-Za-z0-9-]+|team:[A-Za-z0-9-]+/[A-Za-z0-9_.-]+|user:[A-Za-z0-9-]+)$' }),
      Type.Enum(ROLES),
      // A key that matches no pattern is a typo, not a rule to ignore.
      { additionalProperties: false, maxProperties: 1000 },
    ),
    description:
      'GitHub sign-in: role per organisation ("org:acme"), team ("team:acme/ops") or user ' +
      '("user:octocat"). The highest matching role wins; no match refuses the sign-in.',
    fallback: () => ({}),
  }),
  'secrets.max_bytes': define({
    schema: Type.Integer({ minimum: 1, maximum: MAX_SECRET_BYTES }),
    description: 'Largest stored secret value, in UTF-8 bytes.',
    fallback: () => 64 * 1024,
  }),
  'secrets.max_versions': define({
    schema: Type.Integer({ minimum: 1, maximum: 1000 }),
    description: 'Versions kept per secret; older ones are erased on update.',
    fallback: () => 10,
  }),
} as const;

export type SettingKey = keyof typeof SETTING_DEFINITIONS;
export type SettingValue<K extends SettingKey> = Static<(typeof SETTING_DEFINITIONS)[K]['schema']>;
export const SETTING_KEYS = Object.keys(SETTING_DEFINITIONS) as SettingKey[];

/** Reads the current value of a setting: synchronous, from the process's cache. */
export interface SettingsReader {
  get<K extends SettingKey>(key: K): SettingValue<K>;
}

/** A setting as stored at one moment, and the settings version then: every change bumps it. */
export interface FreshSetting<K extends SettingKey> {
  readonly value: SettingValue<K>;
  readonly version: number;
}

/** Reads a setting as stored right now, for decisions that must not act on a value ~1 s stale. */
export interface FreshSettingsReader {
  fresh<K extends SettingKey>(key: K): Promise<FreshSetting<K>>;
}

export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_DEFINITIONS, key);
}

/** Every setting at its default (HUSH_* or built in): what a process runs on before any change. */
export function settingDefaults(config: Config): SettingsReader {
  const values = new Map<SettingKey, unknown>(
    SETTING_KEYS.map((key) => [key, SETTING_DEFINITIONS[key].fallback(config)]),
  );
  return { get: <K extends SettingKey>(key: K) => values.get(key) as SettingValue<K> };
}
