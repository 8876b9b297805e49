import { HushError } from '../errors/hush-error.js';
import type { SettingsChange } from '../storage/secret-store.js';
import type { KvData, KvPatch, KvSettingsChange } from './kv-types.js';
import {
  MAX_KV_KEY_LENGTH,
  MAX_KV_KEYS,
  MAX_MAX_VERSIONS,
  MAX_TTL_SECONDS,
  MAX_VERSION_NUMBER,
  MAX_VERSIONS_PER_CALL,
} from './secret-limits.js';
import { validateMetadata, validateName } from './secret-validation.js';

/** A key is 1 to 128 characters, none a control, format, surrogate, private-use or unassigned one. */
const KEY = new RegExp(`^[^\\p{C}]{1,${MAX_KV_KEY_LENGTH}}$`, 'u');

const invalid = (message: string) => new HushError('invalid_secret', message);
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A fresh copy of KV data, or invalid_secret (400); secret_too_large (413) when its JSON text is
 * more than `maxBytes` UTF-8 bytes (the `secrets.max_bytes` setting).
 */
export function validateData(data: unknown, maxBytes: number): KvData {
  const entries = isPlainObject(data) ? Object.entries(data) : undefined;
  const fits = ([key, value]: [string, unknown]) => KEY.test(key) && typeof value === 'string';
  if (!entries || entries.length > MAX_KV_KEYS || !entries.every(fits)) {
    throw invalid(
      `data must be an object of at most ${MAX_KV_KEYS} string values, keys of 1 to ` +
        `${MAX_KV_KEY_LENGTH} printable characters.`,
    );
  }
  const copy = Object.fromEntries(entries) as Record<string, string>;
  if (Buffer.byteLength(JSON.stringify(copy), 'utf8') > maxBytes) throw new HushError('secret_too_large');
  return copy;
}

/** `current` with a merge patch (RFC 7386) applied: null removes a key, a string sets it. */
export function applyPatch(current: KvData, patch: KvPatch): Record<string, unknown> {
  if (!isPlainObject(patch)) throw invalid('data must be an object of string or null values.');
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/** A merge patch of custom metadata: entries as labels are bounded, null (remove) allowed. */
function validateLabelsPatch(patch: KvPatch): KvPatch {
  if (!isPlainObject(patch)) throw invalid('custom_metadata must be an object of string or null values.');
  const entries = Object.entries(patch);
  validateMetadata(Object.fromEntries(entries.map(([key, value]) => [key, value ?? ''])));
  return Object.fromEntries(entries) as KvPatch;
}

/** Check-and-set: undefined (none) or a version number, 0 meaning "only if new". */
export function validateCas(cas: number | undefined): number | undefined {
  if (cas === undefined) return undefined;
  if (!Number.isInteger(cas) || cas < 0 || cas > MAX_VERSION_NUMBER) {
    throw invalid('cas must be a version number, or 0 for a secret that does not exist yet.');
  }
  return cas;
}

/** One to MAX_VERSIONS_PER_CALL version numbers, deduplicated, in order. */
export function validateVersions(versions: readonly number[]): number[] {
  const fits = (v: number) => Number.isInteger(v) && v >= 1 && v <= MAX_VERSION_NUMBER;
  if (!Array.isArray(versions) || versions.length < 1 || versions.length > MAX_VERSIONS_PER_CALL) {
    throw invalid(`versions must list 1 to ${MAX_VERSIONS_PER_CALL} version numbers.`);
  }
  if (!versions.every(fits)) throw invalid('versions must be positive integers.');
  return [...new Set(versions)].sort((a, b) => a - b);
}

/**
 * The settings given, checked; custom metadata as the seed's string metadata is bounded. A patch
 * of it is checked here and becomes the store's merge, which checks the labels it makes.
 */
export function validateSettings(settings: KvSettingsChange): SettingsChange {
  const { maxVersions, casRequired, deleteVersionAfterSeconds, customMetadata, customMetadataPatch } =
    settings;
  const checked: { -readonly [K in keyof SettingsChange]?: SettingsChange[K] } = {};
  if (maxVersions !== undefined) {
    if (!Number.isInteger(maxVersions) || maxVersions < 0 || maxVersions > MAX_MAX_VERSIONS) {
      throw invalid(`max_versions must be 0 (the setting) to ${MAX_MAX_VERSIONS}.`);
    }
    checked.maxVersions = maxVersions;
  }
  if (casRequired !== undefined) {
    if (typeof casRequired !== 'boolean') throw invalid('cas_required must be true or false.');
    checked.casRequired = casRequired;
  }
  if (deleteVersionAfterSeconds !== undefined) {
    const dva = deleteVersionAfterSeconds;
    if (!Number.isInteger(dva) || dva < 0 || dva > MAX_TTL_SECONDS) {
      throw invalid(`delete_version_after_seconds must be 0 (never) to ${MAX_TTL_SECONDS}.`);
    }
    checked.deleteVersionAfterSeconds = dva;
  }
  if (customMetadata !== undefined) checked.customMetadata = validateMetadata(customMetadata);
  if (customMetadataPatch !== undefined) {
    if (customMetadata !== undefined)
      throw invalid('custom_metadata is either replaced or patched, not both.');
    const patch = validateLabelsPatch(customMetadataPatch);
    checked.mergeCustomMetadata = (stored) => validateMetadata(applyPatch(stored, patch) as KvData);
  }
  return checked;
}

/** A folder to list: '' (the top) or a secret name followed by '/'. */
export function validateFolder(folder: string): string {
  if (folder === '') return folder;
  if (!folder.endsWith('/')) throw invalid('a folder is empty or ends with "/".');
  validateName(folder.slice(0, -1));
  return folder;
}
