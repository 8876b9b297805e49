import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HushError } from '../errors/hush-error.js';
import { MAX_POLICY_PATH, matchesPolicyPath, validatePolicyPath } from './policy-glob.js';

describe('policy path validation', () => {
  it.each([
    'apps/billing/db-password',
    'apps/*',
    'apps/**',
    '**',
    '**/db',
    'apps/**/db',
    'apps/db-*',
    'apps/v?',
    'apps/.env',
    'a_b.c-d/E9',
    'a'.repeat(MAX_POLICY_PATH),
  ])('accepts %s', (path) => {
    expect(validatePolicyPath(path)).toBe(path);
  });

  it.each([
    ['empty', ''],
    ['too long', 'a'.repeat(MAX_POLICY_PATH + 1)],
    ['leading slash', '/apps'],
    ['trailing slash', 'apps/'],
    ['empty segment', 'apps//db'],
    ['. segment', 'apps/./db'],
    ['.. segment', 'apps/../db'],
    ['** inside a segment', 'apps/db**'],
    ['*** segment', 'apps/***'],
    ['braces', 'apps/{a,b}'],
    ['brackets', 'apps/[ab]'],
    ['negation', '!apps/*'],
    ['extglob', 'apps/@(a|b)'],
    ['backslash', 'apps\\*'],
    ['space', 'apps/a b'],
    ['non-ASCII', 'apps/é'],
  ])('refuses %s', (_why, path) => {
    expect(() => validatePolicyPath(path)).toThrow(HushError);
    try {
      validatePolicyPath(path);
    } catch (error) {
      expect((error as HushError).code).toBe('invalid_policy');
      // Messages never echo the input.
      if (path.length > 2) expect((error as HushError).message).not.toContain(path);
    }
  });
});

/** The documented glob meaning, segment by segment, as regexes: the matcher must agree with it. */
function referenceMatch(glob: readonly string[], name: readonly string[], atStart = true): boolean {
  const [head, ...rest] = glob;
  if (head === undefined) return name.length === 0;
  if (head === '**') {
    // Zero or more whole segments; a trailing `**` after other segments needs at least one.
    const min = rest.length === 0 && !atStart ? 1 : 0;
    for (let skip = min; skip <= name.length; skip++) {
      if (referenceMatch(rest, name.slice(skip), false)) return true;
    }
    return false;
  }
  const segment = `^${head.replace(/[.-]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]')}$`;
  return (
    name.length > 0 && new RegExp(segment).test(name[0] ?? '') && referenceMatch(rest, name.slice(1), false)
  );
}

describe('policy glob matching', () => {
  const chars = fc.constantFrom('a', 'b', '.', '-', '_');
  const nameSegment = fc
    .string({ unit: chars, minLength: 1, maxLength: 3 })
    .filter((s) => s !== '.' && s !== '..');
  const name = fc.array(nameSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
  const globSegment = fc.oneof(
    fc.constant('**'),
    fc
      .string({ unit: fc.constantFrom('a', 'b', '.', '-', '*', '?'), minLength: 1, maxLength: 3 })
      .filter((s) => s !== '.' && s !== '..' && !s.includes('**')),
  );
  const glob = fc.array(globSegment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

  it('matches exactly as documented: * in a segment, ** whole segments, ? one character', () => {
    fc.assert(
      fc.property(glob, name, (path, candidate) => {
        validatePolicyPath(path);
        expect(matchesPolicyPath(path, candidate)).toBe(
          referenceMatch(path.split('/'), candidate.split('/')),
        );
      }),
      { numRuns: 5000 },
    );
  });
});

describe('policy glob cost', () => {
  it('matches attacker-chosen names against many-star globs without backtracking blow-up', () => {
    const glob = 'apps/*-*-*-*-*-*-*-x';
    validatePolicyPath(glob);
    const name = `apps/${'-'.repeat(250)}`;
    // A regex glob needed minutes here; the table answers at once (a wrong answer would fail too).
    expect(matchesPolicyPath(glob, name)).toBe(false);
    expect(matchesPolicyPath(glob, `apps/${'-'.repeat(200)}x`)).toBe(true);
    expect(matchesPolicyPath('**/**/**/**/*-*-*', `${'a/'.repeat(100)}a-a-${'-'.repeat(40)}`)).toBe(true);
  });
});
