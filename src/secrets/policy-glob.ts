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

/** One segment against a segment glob of `*` and `?`: greedy with one backtrack point, O(n·m). */
function segmentMatches(glob: string, segment: string): boolean {
  let g = 0;
  let s = 0;
  let star = -1;
  let resume = 0;
  while (s < segment.length) {
    if (g < glob.length && (glob[g] === '?' || glob[g] === segment[s])) {
      g++;
      s++;
    } else if (g < glob.length && glob[g] === '*') {
      star = g++;
      resume = s;
    } else if (star !== -1) {
      g = star + 1;
      s = ++resume;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * Whether `name` matches the (validated) glob `path`. Only `*` (within a segment), `?` (one
 * character) and `**` (zero or more whole segments; a trailing one after other segments needs at
 * least one, as in .gitignore: `apps/**` is what is inside `apps`) are magic; wildcards match names
 * starting with ".". Hand-written rather than a regex library: regex globs backtrack exponentially
 * on names like `a-a-a-…` against `*-*-*-*`, and names are attacker-chosen. This is a table over
 * (glob segment, name segment), so the cost is polynomial whatever the input.
 */
export function matchesPolicyPath(path: string, name: string): boolean {
  const glob = path.split('/');
  const parts = name.split('/');
  const width = parts.length + 1;
  // memo[i * width + j]: 0 unknown, 1 match, 2 no match, for glob[i..] against parts[j..].
  const memo = new Uint8Array((glob.length + 1) * width);
  const match = (i: number, j: number): boolean => {
    const known = memo[i * width + j];
    if (known) return known === 1;
    let result: boolean;
    const head = glob[i];
    if (head === undefined) {
      result = j === parts.length;
    } else if (head === '**') {
      const min = i === glob.length - 1 && i > 0 ? 1 : 0;
      result = false;
      for (let k = j + min; k <= parts.length && !result; k++) result = match(i + 1, k);
    } else {
      const part = parts[j];
      result = part !== undefined && segmentMatches(head, part) && match(i + 1, j + 1);
    }
    memo[i * width + j] = result ? 1 : 2;
    return result;
  };
  return match(0, 0);
}
