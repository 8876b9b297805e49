import type { Actor } from '../audit/audit-types.js';

/** The audit actor of an account (its name as it is now). */
export const userActor = (user: { readonly id: string; readonly username: string }): Actor => ({
  kind: 'user',
  id: user.id,
  name: user.username,
});
