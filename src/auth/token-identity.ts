import type { Identity } from '../domain/principal.js';
import type { User } from './user-types.js';

/** The principal an account signs in as (TokenService.issue takes principals of every kind). */
export function userIdentity(user: Pick<User, 'id' | 'username' | 'role'>): Identity {
  return { kind: 'user', id: user.id, name: user.username, role: user.role };
}
