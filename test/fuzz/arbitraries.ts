import fc from 'fast-check';
import { LIMITS, PASSPHRASE, toJsonText } from './support.js';

/** fast-check arbitraries shared by the fuzz suites: header text, paths, keys and JSON bodies. */

/** Header-safe text: what Node's HTTP parser lets through (visible ASCII, space, tab, latin-1). */
const headerChar = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(0x09))
  .map((code) => String.fromCharCode(code));
export const headerText = (maxLength = 80) => fc.string({ unit: headerChar, maxLength });

const tokenShaped = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);

/** Path text: unicode, lone surrogates, %-encodings, traversal, NUL, very long. */
export const pathText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.webSegment(),
  tokenShaped,
  fc.constantFrom(
    '',
    '..',
    '../..',
    '%2e%2e',
    '%2e%2e%2f%2e%2e',
    '%00',
    '\u0000',
    '%',
    '%zz',
    '%c0%af',
    '%ff%fe',
    '%u0041',
    '//',
    '?',
    '#',
    '?page=-1',
    ';',
    'a'.repeat(101),
    'a'.repeat(10_000),
    '%41'.repeat(2_000),
    'ü',
    '💥',
    '\ud800',
    'constructor',
    '__proto__',
  ),
);

/** A key in a path: a real one made just now, or anything else. */
export type KeyChoice =
  | { readonly kind: 'fresh' }
  | { readonly kind: 'fresh-passphrase' }
  | { readonly kind: 'literal'; readonly text: string; readonly encode: boolean };

export const keyChoice: fc.Arbitrary<KeyChoice> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: 'fresh' } as const) },
  { weight: 1, arbitrary: fc.constant({ kind: 'fresh-passphrase' } as const) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('literal' as const), text: pathText, encode: fc.boolean() }),
  },
);

export const anyJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.object().map(toJsonText),
  fc
    .anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    })
    .map(toJsonText),
  fc.constantFrom(
    '',
    ' ',
    '{}',
    '[]',
    'null',
    '0',
    '""',
    '{"passphrase":null}',
    `{"passphrase":"${PASSPHRASE}"}`,
  ),
);

/** Raw JSON number-ish literals and wrong types, for ttl_seconds / max_views / secret. */
export const oddValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '-1e308',
    '1e400',
    '-1e400',
    '1e-400',
    '-0',
    '0',
    '-1',
    '0.5',
    '1.5',
    '60.0',
    '6e1',
    '59',
    '60',
    '86400',
    '2592000',
    '2592001',
    '315360000',
    '315360001',
    '1',
    '100',
    '101',
    '18446744073709551616',
    '9007199254740993',
    '123456789012345678901234567890',
    '"NaN"',
    '"Infinity"',
    '"60"',
    '"1"',
    '"2**64"',
    'null',
    'true',
    'false',
    '[]',
    '[60]',
    '{}',
    '{"$gt":0}',
  ),
  fc.integer().map(String),
  fc.bigInt().map(String),
  fc.double().map(toJsonText),
);

const secretText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.string({ minLength: 1, maxLength: 60 }).map(toJsonText) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }).map(toJsonText) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map(toJsonText) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        '\u0000',
        '\ud800',
        'a\udc00b',
        '💥',
        'x'.repeat(LIMITS.maxBytes),
        'x'.repeat(LIMITS.maxBytes + 1),
        'é'.repeat(LIMITS.maxBytes / 2),
        'é'.repeat(LIMITS.maxBytes / 2 + 1),
        '\u0000'.repeat(LIMITS.maxBytes),
      )
      .map(toJsonText),
  },
  { weight: 2, arbitrary: oddValue },
  { weight: 1, arbitrary: anyJsonText.filter((text) => text !== '') },
  { weight: 1, arbitrary: fc.constant(`${'['.repeat(5_000)}${']'.repeat(5_000)}`) },
  { weight: 1, arbitrary: fc.constant(`${'{"constructor":'.repeat(2_000)}1${'}'.repeat(2_000)}`) },
);

/** Passphrases are mostly absent or invalid so Argon2id hashing stays a small share of the run. */
const passphraseText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant('null') },
  { weight: 3, arbitrary: oddValue },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '""',
      '"\\ud800"',
      '"\ud800"',
      toJsonText('p'.repeat(1025)),
      toJsonText('😀'.repeat(600)),
    ),
  },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 24 }).map(toJsonText) },
);

const unknownKey = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'SECRET',
    'secret ',
    'views',
    'ttl',
    'receipt_key',
  ),
);

/** A JSON object text built field by field, so raw literals (1e400, -0, 2**64) survive. */
const oddBody: fc.Arbitrary<string> = fc
  .record(
    {
      secret: secretText,
      passphrase: passphraseText,
      ttl_seconds: fc.oneof(
        { weight: 3, arbitrary: oddValue },
        { weight: 1, arbitrary: fc.integer({ min: 60, max: 2_592_000 }).map(String) },
      ),
      max_views: fc.oneof(
        { weight: 3, arbitrary: oddValue },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 100 }).map(String) },
      ),
    },
    { requiredKeys: [] },
  )
  .chain((known) =>
    fc.array(fc.tuple(unknownKey, oddValue), { maxLength: 2 }).map((extra) => {
      const fields = [...Object.entries(known), ...extra];
      return `{${fields.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`;
    }),
  );

/** Mostly valid bodies, near the bounds, so the "must be accepted" side of the model is exercised. */
const nearValidBody: fc.Arbitrary<string> = fc
  .record(
    {
      secret: fc.oneof(
        fc.string({ minLength: 1, maxLength: 60 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
        fc.constantFrom(
          'x'.repeat(LIMITS.maxBytes),
          'é'.repeat(LIMITS.maxBytes / 2),
          '😀'.repeat(LIMITS.maxBytes / 4),
        ),
      ),
      passphrase: fc.oneof(
        { weight: 4, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
      ),
      ttl_seconds: fc.oneof(
        fc.constant(null),
        fc.integer({ min: LIMITS.ttlMin - 2, max: LIMITS.ttlMax + 2 }),
      ),
      max_views: fc.oneof(fc.constant(null), fc.integer({ min: 0, max: LIMITS.maxViews + 1 })),
    },
    { requiredKeys: ['secret'] },
  )
  .map((body) => JSON.stringify(body));

export const shapedBody: fc.Arbitrary<string> = fc.oneof(oddBody, nearValidBody);
