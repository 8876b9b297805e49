import { HushError } from '../../../errors/hush-error.js';

/** A list as Vault's framework takes it: an array, or its comma-separated text; blanks dropped. */
export function textList(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = typeof value === 'string' ? value.split(',') : value;
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

const TRUE = new Set(['1', 't', 'true']);
const FALSE = new Set(['', '0', 'f', 'false']);

/** Go's strconv.ParseBool, which Vault's `?list=` goes through; anything else is a 400. */
export function queryFlag(value: string | undefined, field: string): boolean {
  const text = (value ?? '').toLowerCase();
  if (TRUE.has(text)) return true;
  if (FALSE.has(text)) return false;
  throw new HushError('bad_request', `${field} must be true or false.`);
}

/** KV versions as Vault takes them (`[1, "2"]` or `"1,2"`); none is Vault's "no version number provided". */
export function versionList(value: string | readonly (number | string)[]): number[] {
  const items = typeof value === 'string' ? value.split(',') : value;
  const versions = items
    .map((item) => (typeof item === 'number' ? item : item.trim()))
    .filter((item) => item !== '')
    .map(Number);
  if (versions.length === 0) throw new HushError('bad_request', 'no version number provided');
  if (!versions.every((version) => Number.isSafeInteger(version) && version >= 0)) {
    throw new HushError('bad_request', 'versions must be version numbers.');
  }
  return [...new Set(versions)];
}

/**
 * AppRole's secret-id `metadata`: Vault takes a JSON object of strings inside a string; an
 * object is taken as is. Anything else is a 400.
 */
export function labels(value: string | Readonly<Record<string, string>> | undefined) {
  if (value === undefined || typeof value !== 'string') return value;
  if (value.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = undefined;
  }
  const isLabels =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed).every((item) => typeof item === 'string');
  if (!isLabels) throw new HushError('bad_request', 'metadata must be a JSON object of strings.');
  return parsed as Record<string, string>;
}
