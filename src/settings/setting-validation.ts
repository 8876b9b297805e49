import { Ajv, type ValidateFunction } from 'ajv';
import { HushError } from '../errors/hush-error.js';
import { humanDuration } from '../format/human-duration.js';
import {
  SETTING_DEFINITIONS,
  SETTING_KEYS,
  type SettingKey,
  type SettingsReader,
} from './setting-definitions.js';

/** As strict as request bodies: no coercion ("5" is not 5), nothing added or removed. */
const ajv = new Ajv({ coerceTypes: false, removeAdditional: false, useDefaults: false, strict: false });
const validators = new Map<SettingKey, ValidateFunction>(
  SETTING_KEYS.map((key) => [key, ajv.compile(SETTING_DEFINITIONS[key].schema)]),
);

/** A path into an object value is the caller's text: named only while it stays short. */
const MAX_PATH_IN_MESSAGE = 64;

/** Checks a value against its setting's schema; invalid_setting names the key and the rule broken. */
export function validateSettingValue(key: SettingKey, value: unknown): void {
  const validate = validators.get(key) as ValidateFunction;
  if (validate(value)) return;
  const error = validate.errors?.[0];
  const path = error && error.instancePath.length <= MAX_PATH_IN_MESSAGE ? error.instancePath : '';
  // "must be <= 2592000 (30 days)": a bound on a duration setting is also said in words.
  const limit = (error?.params as { limit?: unknown } | undefined)?.limit;
  const words =
    key.endsWith('_seconds') && path === '' && typeof limit === 'number' ? ` (${humanDuration(limit)})` : '';
  throw new HushError('invalid_setting', `${key}${path}: ${error?.message ?? 'is not valid'}${words}.`);
}

/** Whether a stored value still fits its schema (a value stored by an older version may not). */
export function isValidSettingValue(key: SettingKey, value: unknown): boolean {
  return (validators.get(key) as ValidateFunction)(value) === true;
}

interface Rule {
  readonly keys: readonly SettingKey[];
  readonly holds: (settings: SettingsReader) => boolean;
  readonly message: string;
}

const notAbove = (low: SettingKey, high: SettingKey): Rule => ({
  keys: [low, high],
  holds: (s) => (s.get(low) as number) <= (s.get(high) as number),
  message: `${low} may not exceed ${high}.`,
});

/** Rules between settings, which no single schema can state. */
const RULES: readonly Rule[] = [
  notAbove('shares.ttl_min_seconds', 'shares.ttl_default_seconds'),
  notAbove('shares.ttl_default_seconds', 'shares.ttl_max_seconds'),
  notAbove('tokens.access_ttl_seconds', 'tokens.max_ttl_seconds'),
  notAbove('tokens.refresh_ttl_seconds', 'tokens.max_ttl_seconds'),
];

/**
 * Checks the rules that involve `changed` against the settings as they would be after the change.
 * Rules between other settings are left alone: a change must not be blocked by one it did not make.
 */
export function checkSettingRules(changed: SettingKey, wouldBe: SettingsReader): void {
  for (const rule of RULES) {
    if (rule.keys.includes(changed) && !rule.holds(wouldBe)) {
      throw new HushError('invalid_setting', rule.message);
    }
  }
}
