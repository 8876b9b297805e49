import fc from 'fast-check';
import { SETTING_KEYS } from '../../src/settings/setting-definitions.js';
import { oddValue } from './arbitraries.js';
import type { JsonSchema } from './openapi-routes.js';

/**
 * Arbitraries for one field of a route's schema: text by pattern, length bounds and field name,
 * and integers near their bounds. Strings may hold placeholders (`{user-password}`,
 * `{fresh-refresh}`, …) that the test swaps for real values just before sending (see
 * store-placeholders.ts).
 */

/**
 * How wild: `near` keeps required fields, rarely adds unknown ones or odd literals (to reach the
 * services); `wild` drops and mixes anything (to hit the validation edges).
 */
export type Mode = 'near' | 'wild';

/** Placeholders by field name: real credentials, so the success paths run too. */
const PLACEHOLDERS: Record<string, readonly string[]> = {
  username: ['{user-name}'],
  password: ['{user-password}'],
  refresh_token: ['{fresh-refresh}', '{fresh-access}'],
  revoke_token: ['{fresh-refresh}', '{fresh-access}'],
  token: ['{fresh-refresh}', '{fresh-access}'],
  github_token: ['{github-token}'],
  code: ['{github-code}'],
  state: ['{github-state}'],
};

/** Fields whose text must never come back in a response. */
export const SECRET_FIELDS = [
  'password',
  'refresh_token',
  'revoke_token',
  'token',
  'client_secret',
  'github_token',
];

const nameText = fc
  .array(fc.stringMatching(/^[A-Za-z0-9._-]{1,12}$/), { minLength: 1, maxLength: 5 })
  .map((segments) => segments.join('/'));

/** Texts that names, globs, usernames, scopes, CIDRs and keys trip over. */
export const SPECIAL_TEXTS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'a\udc00b',
  '💥',
  'ü',
  '..',
  '../x',
  'x/..',
  'a//b',
  '/x',
  'x/',
  '.',
  '%00',
  '**',
  '*',
  '?',
  'apps/**',
  'apps/*/db',
  '**/**/**/**/**/**/**/**/**/**/**/**/x',
  `${'*'.repeat(100)}x`,
  `${'a/'.repeat(120)}a`,
  `${'**/'.repeat(80)}a`,
  '[a-z]',
  '{a,b}',
  '!(x)',
  '\\',
  'admin',
  'user',
  'Admin',
  'ＡＤＭＩＮ',
  'fuzz-user',
  'gh.octocat',
  'secrets:read',
  'secrets:read secrets:write admin',
  'secrets:admin',
  'password',
  'refresh_token',
  '10.0.0.0/8',
  '::1/128',
  '0.0.0.0/0',
  '300.1.1.1/33',
  '1.2.3.4',
  'fe80::1%eth0/64',
  '10.0.0.0/8, 127.0.0.1/32',
  '::ffff:127.0.0.1/128',
  'a@b.co',
  '@',
  'org:acme',
  'team:acme/ops',
  'constructor',
  '__proto__',
];
const specialText = fc.constantFrom(...SPECIAL_TEXTS);

const globText = fc
  .array(
    fc.oneof(fc.stringMatching(/^[a-z0-9._-]{1,8}$/), fc.constantFrom('*', '**', '?', 'a*', '*b', 'c?d')),
    {
      minLength: 1,
      maxLength: 5,
    },
  )
  .map((segments) => segments.join('/'));
const scopeText = fc
  .subarray(['secrets:read', 'secrets:write', 'admin', 'bogus'], { minLength: 0 })
  .map((scopes) => scopes.join(' '));

/** Likely-valid text by field name, so the generic generator gets past the services' own checks. */
const HINTS: Record<string, fc.Arbitrary<string>> = {
  name: fc.oneof(
    nameText,
    nameText.map((n) => `fuzz/${n}`),
  ),
  prefix: fc.oneof(nameText, fc.constantFrom('', 'fuzz/', 'fuzz', 'apps/')),
  path: fc.oneof(
    globText,
    globText.map((g) => `fuzz/${g}`),
  ),
  subject: fc.constantFrom('user', 'admin', 'fuzz-user', 'fuzz-spare', 'nobody', 'FUZZ-USER'),
  key: fc.constantFrom(...SETTING_KEYS, 'no.such.setting'),
  grant_type: fc.constantFrom('password', 'refresh_token', 'client_credentials'),
  scope: scopeText,
  username: fc.stringMatching(/^[a-z][a-z0-9._-]{2,20}$/),
  password: fc.string({ minLength: 12, maxLength: 40 }),
  email: fc.constantFrom('a@b.co', 'fuzz@example.com', 'x@y'),
  bound_cidrs: fc.constantFrom('127.0.0.1/32', '10.0.0.0/8, ::1/128', '0.0.0.0/0', '::/0', '1.2.3.4/40'),
  code: fc.stringMatching(/^[0-9a-f]{20}$/),
  state: fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
};

/** Text for a string field: from its pattern, near its length bounds, or anything at all. */
export function stringFor(schema: JsonSchema, field = '', mode: Mode = 'wild'): fc.Arbitrary<string> {
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : undefined;
  const min = typeof schema.minLength === 'number' ? schema.minLength : undefined;
  const bounds = [
    ...(max === undefined ? [] : ['x'.repeat(max), 'x'.repeat(max + 1)]),
    ...(max === undefined || max > 4096 ? [] : ['é'.repeat(max), '😀'.repeat(max), 'a/'.repeat(max)]),
    ...(min === undefined || min === 0 ? [] : ['x'.repeat(min - 1)]),
  ];
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: nameText },
    { weight: 3, arbitrary: specialText },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z][a-z0-9._-]{2,20}$/) },
  ];
  if (bounds.length > 0) options.push({ weight: 1, arbitrary: fc.constantFrom(...bounds) });
  // Near valid: what the field's pattern, placeholders or hint make dominates the rest.
  const likely = mode === 'near' ? 40 : 4;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern);
    options.push({
      weight: likely,
      arbitrary: fc.stringMatching(pattern).filter((t) => t.length <= (max ?? 300)),
    });
  }
  if (schema.format === 'date-time') {
    options.push({ weight: 3, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) });
  }
  const placeholders = PLACEHOLDERS[field];
  if (placeholders) options.push({ weight: likely * 2, arbitrary: fc.constantFrom(...placeholders) });
  const hint = HINTS[field];
  if (hint) options.push({ weight: likely * 2, arbitrary: hint });
  return fc.oneof(...options);
}

/** Integer literals near the bounds, in range, and out of it. */
export function integerFor(schema: JsonSchema, mode: Mode = 'wild'): fc.Arbitrary<string> {
  const min = typeof schema.minimum === 'number' ? schema.minimum : -1e6;
  const max = typeof schema.maximum === 'number' ? schema.maximum : 1e6;
  return fc.oneof(
    { weight: mode === 'near' ? 20 : 3, arbitrary: fc.integer({ min, max }).map(String) },
    { weight: 2, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, 0, -1, 1).map(String) },
    { weight: 1, arbitrary: oddValue },
  );
}
