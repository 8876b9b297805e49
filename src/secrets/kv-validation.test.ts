import { describe, expect, it } from 'vitest';
import {
  applyPatch,
  validateCas,
  validateData,
  validateFolder,
  validateSettings,
  validateVersions,
} from './kv-validation.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('KV validation', () => {
  it('takes data of up to 256 string values under printable keys of 1 to 128 characters', () => {
    expect(validateData({ user: 'u', 'pass word': 'p', ключ: 'v', '🔑': '' }, 1000)).toEqual({
      user: 'u',
      'pass word': 'p',
      ключ: 'v',
      '🔑': '',
    });
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    expect(codeOf(() => validateData(many(256), 1 << 20))).toBe('ok');
    for (const data of [
      many(257),
      { '': 'v' },
      { ['k'.repeat(129)]: 'v' },
      { 'a\u0000b': 'v' },
      { 'tab\there': 'v' },
      { 'zero\u200bwidth': 'v' },
      { k: 1 },
      { k: null },
      ['v'],
      'text',
      null,
    ]) {
      expect(
        codeOf(() => validateData(data, 1 << 20)),
        JSON.stringify(data),
      ).toBe('invalid_secret');
    }
    expect(codeOf(() => validateData({ ['k'.repeat(128)]: 'v' }, 1 << 20))).toBe('ok');
  });

  it('sizes data as its JSON text in UTF-8 bytes: secret_too_large past the setting', () => {
    // {"k":"éé"} is 12 bytes.
    expect(codeOf(() => validateData({ k: 'éé' }, 12))).toBe('ok');
    expect(codeOf(() => validateData({ k: 'éé' }, 11))).toBe('secret_too_large');
  });

  it('merges a patch: a string sets, null removes, the rest stays', () => {
    expect(applyPatch({ a: '1', b: '2' }, { b: null, c: '3', missing: null })).toEqual({ a: '1', c: '3' });
    expect(codeOf(() => applyPatch({}, [] as never))).toBe('invalid_secret');
  });

  it('takes cas as a version number or 0, and 1 to 100 positive versions, deduplicated and sorted', () => {
    expect(validateCas(undefined)).toBeUndefined();
    expect(validateCas(0)).toBe(0);
    for (const cas of [-1, 1.5, 2 ** 31]) expect(codeOf(() => validateCas(cas))).toBe('invalid_secret');
    expect(validateVersions([3, 1, 3])).toEqual([1, 3]);
    for (const versions of [[], [0], [1.5], Array.from({ length: 101 }, (_, i) => i + 1)]) {
      expect(codeOf(() => validateVersions(versions))).toBe('invalid_secret');
    }
  });

  it('checks settings given and leaves out those not given', () => {
    expect(validateSettings({})).toEqual({});
    expect(
      validateSettings({
        maxVersions: 0,
        casRequired: true,
        deleteVersionAfterSeconds: 60,
        customMetadata: { a: 'b' },
      }),
    ).toEqual({
      maxVersions: 0,
      casRequired: true,
      deleteVersionAfterSeconds: 60,
      customMetadata: { a: 'b' },
    });
    for (const settings of [
      { maxVersions: 1001 },
      { maxVersions: -1 },
      { deleteVersionAfterSeconds: -1 },
      { deleteVersionAfterSeconds: 315_360_001 },
      { casRequired: 'yes' as never },
      { customMetadata: { '': 'v' } },
    ]) {
      expect(
        codeOf(() => validateSettings(settings)),
        JSON.stringify(settings),
      ).toBe('invalid_secret');
    }
  });

  it('takes a folder that is empty or a secret name ending in "/"', () => {
    for (const folder of ['', 'apps/', 'apps/billing/']) expect(validateFolder(folder)).toBe(folder);
    for (const folder of ['apps', '/', 'apps//', '../', 'a b/']) {
      expect(
        codeOf(() => validateFolder(folder)),
        folder,
      ).toBe('invalid_secret');
    }
  });
});
