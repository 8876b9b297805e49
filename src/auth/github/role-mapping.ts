import type { Role } from '../user-types.js';
import type { GithubIdentity } from './github-client.js';

/** Higher wins when several mapping entries match one account. */
const RANK: Record<Role, number> = { user: 1, admin: 2 };

/** The mapping with keys as compared (GitHub names are case-insensitive), highest role per key. */
function normalized(mapping: Readonly<Record<string, Role>>): Map<string, Role> {
  const entries = new Map<string, Role>();
  for (const [key, role] of Object.entries(mapping)) {
    const known = entries.get(key.toLowerCase());
    if (known === undefined || RANK[role] > RANK[known]) entries.set(key.toLowerCase(), role);
  }
  return entries;
}

/**
 * The role the `github.role_mapping` setting grants an account: the highest among the entries
 * `user:<login>`, `org:<org>` and `team:<org>/<team-slug>` that match it, or undefined when none
 * does. GitHub names are case-insensitive, so the comparison is too.
 */
export function mapGithubRole(
  mapping: Readonly<Record<string, Role>>,
  identity: Pick<GithubIdentity, 'login' | 'orgs' | 'teams'>,
): Role | undefined {
  const keys = [
    `user:${identity.login}`,
    ...identity.orgs.map((org) => `org:${org}`),
    ...identity.teams.map((team) => `team:${team}`),
  ].map((key) => key.toLowerCase());
  const entries = normalized(mapping);
  let best: Role | undefined;
  for (const key of keys) {
    const role = entries.get(key);
    if (role !== undefined && (best === undefined || RANK[role] > RANK[best])) best = role;
  }
  return best;
}

/**
 * Whether `next` only widens `previous`: every entry kept at the same or a higher role, and at
 * least one added or raised. Such a change takes no role from anybody; any other change may (hush
 * does not keep GitHub memberships, so it cannot tell whom), and setting the same mapping again
 * is how an admin makes memberships changed on GitHub count.
 */
export function onlyWidens(
  previous: Readonly<Record<string, Role>>,
  next: Readonly<Record<string, Role>>,
): boolean {
  const before = normalized(previous);
  const after = normalized(next);
  let widened = false;
  for (const [key, role] of after) {
    const was = before.get(key);
    if (was === undefined || RANK[role] > RANK[was]) widened = true;
  }
  for (const [key, role] of before) {
    const now = after.get(key);
    if (now === undefined || RANK[now] < RANK[role]) return false;
  }
  return widened;
}
