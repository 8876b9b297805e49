import { describe, expect, it } from 'vitest';
import { ERROR_TABLE, type ErrorCode } from '../../../errors/error-table.js';
import { toVaultError } from './vault-errors.js';
import { labels, queryFlag, textList, versionList } from './vault-fields.js';

const mapped = (code: string, status: number, message = 'hush says') =>
  ({ code: code as ErrorCode, status, message }) as const;

describe('hush errors as Vault answers them', () => {
  it.each([
    ['not_found', 404, 404, ''],
    ['version_deleted', 404, 404, ''],
    ['unauthorized', 401, 403, 'permission denied'],
    ['invalid_token', 401, 403, 'permission denied'],
    ['insufficient_scope', 403, 403, 'permission denied'],
    ['forbidden', 403, 403, 'permission denied'],
    ['passphrase_required', 401, 403, 'permission denied'],
    ['cas_mismatch', 409, 400, 'hush says'],
    ['machine_exists', 409, 400, 'hush says'],
    ['invalid_secret', 400, 400, 'hush says'],
    ['payload_too_large', 413, 413, 'hush says'],
    ['rate_limited', 429, 429, 'hush says'],
    ['unavailable', 503, 503, 'hush says'],
    ['internal', 500, 500, 'internal error'],
    ['secret_unreadable', 500, 500, 'internal error'],
    ['github_unavailable', 502, 500, 'internal error'],
  ] as const)('%s (%i) → %i %j', (code, status, vaultStatus, message) => {
    expect(toVaultError(mapped(code, status))).toMatchObject({ code, status: vaultStatus, message });
  });

  it('keeps the reason an HTTPS-only server refuses plain HTTP', () => {
    const row = ERROR_TABLE.https_required;
    expect(toVaultError(mapped('https_required', row.status, row.message)).message).toBe(row.message);
  });
});

describe('Vault’s field forms', () => {
  it('reads lists as arrays or comma-separated text', () => {
    expect(textList(undefined)).toBeUndefined();
    expect(textList('10.0.0.0/8, 192.0.2.0/24,')).toEqual(['10.0.0.0/8', '192.0.2.0/24']);
    expect(textList([' a ', ''])).toEqual(['a']);
    expect(textList('')).toEqual([]);
  });

  it('reads ?list= as Go’s ParseBool does, refusing anything else', () => {
    for (const text of ['true', '1', 't', 'TRUE']) expect(queryFlag(text, 'list')).toBe(true);
    for (const text of [undefined, '', 'false', '0', 'f']) expect(queryFlag(text, 'list')).toBe(false);
    expect(() => queryFlag('yes', 'list')).toThrow(/list must be true or false/);
  });

  it('reads version lists as numbers or text, without repeats; none is Vault’s own error', () => {
    expect(versionList([1, '2', ' 3 ', 2])).toEqual([1, 2, 3]);
    expect(versionList('4,5')).toEqual([4, 5]);
    expect(() => versionList([])).toThrow('no version number provided');
    expect(() => versionList('1,x')).toThrow(/version numbers/);
  });

  it('reads secret_id metadata as Vault’s JSON text or an object', () => {
    expect(labels('{"env":"ci"}')).toEqual({ env: 'ci' });
    expect(labels({ env: 'ci' })).toEqual({ env: 'ci' });
    expect(labels(undefined)).toBeUndefined();
    expect(labels(' ')).toBeUndefined();
    for (const bad of ['{"n":1}', '[]', 'env=ci', 'null']) expect(() => labels(bad)).toThrow(/JSON object/);
  });
});
