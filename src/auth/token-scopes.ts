import { SCOPES, type Scope } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { Role } from './user-types.js';

/** The scopes an account's role allows; a token carries these or fewer. */
export function scopesForRole(role: Role): Scope[] {
  return role === 'admin' ? [...SCOPES] : SCOPES.filter((scope) => scope !== 'admin');
}

/** The requested space-separated scope, checked against the role; none requested = all allowed. */
export function resolveScopes(requested: string | undefined, role: Role): Scope[] {
  const allowed = scopesForRole(role);
  const words = (requested ?? '').split(/\s+/).filter((word) => word !== '');
  if (words.length === 0) return allowed;
  const unique = [...new Set(words)];
  if (!unique.every((word): word is Scope => (allowed as string[]).includes(word))) {
    throw new HushError('invalid_scope');
  }
  return unique;
}

/** Scopes stored on a token, kept only where the role still allows them. */
export function storedScopes(scope: string, role: Role): Scope[] {
  const allowed = scopesForRole(role) as string[];
  return scope.split(' ').filter((word): word is Scope => allowed.includes(word));
}
