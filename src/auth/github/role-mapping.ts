import type { Role } from '../user-types.js';
import type { GithubIdentity } from './github-client.js';

/** Higher wins when several mapping entries match one account. */
const RANK: Record<Role, number> = { user: 1, admin: 2 };

/**
 * The role the `github.role_mapping` setting grants an account: the highest among the entries
 * `user:<login>`, `org:<org>` and `team:<org>/<team-slug>` that match it, or undefined when none
 * does. GitHub names are case-insensitive, so the comparison is too.
 */
export function mapGithubRole(
  mapping: Readonly<Record<string, Role>>,
  identity: Pick<GithubIdentity, 'login' | 'orgs' | 'teams'>,
): Role | undefined {
  const keys = new Set(
    [
      `user:${identity.login}`,
      ...identity.orgs.map((org) => `org:${org}`),
      ...identity.teams.map((team) => `team:${team}`),
    ].map((key) => key.toLowerCase()),
  );
  let best: Role | undefined;
  for (const [key, role] of Object.entries(mapping)) {
    if (keys.has(key.toLowerCase()) && (best === undefined || RANK[role] > RANK[best])) best = role;
  }
  return best;
}
