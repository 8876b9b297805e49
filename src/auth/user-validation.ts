import { HushError } from '../errors/hush-error.js';
import { usernameSkeleton } from '../storage/username-skeleton.js';
import { ROLES, type Role } from './user-types.js';

/** Letters, digits and . _ - after normalization; 3 to 64 of them, starting with a letter or digit. */
const USERNAME = /^[\p{Ll}\p{Lo}\p{Nd}][\p{Ll}\p{Lo}\p{Nd}._-]{2,63}$/u;
/** Deliberately loose: one @, something on each side, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
/** NIST SP 800-63B: at least 8; we ask 12. The upper bound keeps hashing cost bounded. */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

/**
 * One spelling per name: NFKC folds compatibility forms (full-width letters, ligatures) and lower
 * case folds case, so "Alice", "ALICE" and "ａｌｉｃｅ" are one account and cannot impersonate each other.
 */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase();
}

/** Accounts that sign in through GitHub are named `gh.<login>`, so none can take a local account over. */
export const GITHUB_USERNAME_PREFIX = 'gh.';

export function validateUsername(username: string): string {
  const normalized = normalizeUsername(username);
  if (!USERNAME.test(normalized)) {
    throw new HushError(
      'invalid_user',
      'username must be 3 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.',
    );
  }
  // Also a name that only looks like the prefix ("gһ." with a Cyrillic һ): GitHub accounts have no
  // skeleton of their own to collide with, so the prefix is what keeps them apart.
  if (
    normalized.startsWith(GITHUB_USERNAME_PREFIX) ||
    usernameSkeleton(normalized).startsWith(GITHUB_USERNAME_PREFIX)
  ) {
    throw new HushError(
      'invalid_user',
      `usernames starting with "${GITHUB_USERNAME_PREFIX}" are for GitHub accounts.`,
    );
  }
  return normalized;
}

export function validateEmail(email: string | undefined): string | undefined {
  if (email === undefined || email === '') return undefined;
  const trimmed = email.trim();
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) {
    throw new HushError('invalid_user', 'email is not a valid address.');
  }
  return trimmed;
}

export function validateRole(role: string): Role {
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new HushError('invalid_user', `role must be one of ${ROLES.join(', ')}.`);
  }
  return role as Role;
}

export function validatePassword(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN || length > PASSWORD_MAX) {
    throw new HushError('invalid_user', `password must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters.`);
  }
}
