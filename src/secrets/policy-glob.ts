import picomatch from 'picomatch';
import { HushError } from '../errors/hush-error.js';

export const MAX_POLICY_PATH = 256;

/** A secret name's segment characters, plus the two wildcards `*` and `?`. */
const SEGMENT = /^[A-Za-z0-9._*?-]+$/;

/**
 * Checks a policy glob: segments as in secret names (`[A-Za-z0-9._-]`, no empty, `.` or `..`)
 * that may hold `*` and `?`; `**` only as a whole segment. Returns it unchanged.
 */
export function validatePolicyPath(path: string): string {
  if (path.length === 0 || path.length > MAX_POLICY_PATH) {
    throw new HushError('invalid_policy', `path must be 1 to ${MAX_POLICY_PATH} characters.`);
  }
  for (const segment of path.split('/')) {
    if (!SEGMENT.test(segment) || segment === '.' || segment === '..') {
      throw new HushError(
        'invalid_policy',
        'path segments must be letters, digits, ".", "_", "-", "*" or "?", separated by single "/".',
      );
    }
    if (segment.includes('**') && segment !== '**') {
      throw new HushError('invalid_policy', '"**" must be a whole path segment.');
    }
  }
  return path;
}

/**
 * Only `*` (within a segment), `**` (zero or more whole segments; a trailing one after other
 * segments one or more, as in .gitignore: `apps/**` is what is inside `apps`) and `?` (one
 * character) are magic. `dot`: wildcards match names starting with "."; braces, brackets, extglobs
 * and negation are off (validation already refuses their characters). `strictSlashes` and no
 * `fastpaths` keep picomatch to exactly that (its shortcuts differ: `*.*` missed `a.`); the
 * property test in policy-glob.test.ts holds it to a reference matcher.
 */
const OPTIONS: picomatch.PicomatchOptions = {
  dot: true,
  nobrace: true,
  noextglob: true,
  nonegate: true,
  nobracket: true,
  windows: false,
  strictSlashes: true,
  fastpaths: false,
};

type Matcher = (name: string) => boolean;

/** Policies are few and change rarely; the bound only stops unbounded growth over a long uptime. */
const MAX_CACHED = 10_000;
const cache = new Map<string, Matcher>();

/** Whether `name` matches the (validated) glob `path`; each glob is compiled once. */
export function matchesPolicyPath(path: string, name: string): boolean {
  let matcher = cache.get(path);
  if (!matcher) {
    if (cache.size >= MAX_CACHED) cache.clear();
    matcher = picomatch(path, OPTIONS);
    cache.set(path, matcher);
  }
  return matcher(name);
}
