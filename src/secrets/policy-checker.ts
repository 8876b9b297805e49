import type { Role } from '../domain/principal.js';
import type { PolicyStore } from '../storage/policy-store.js';
import { matchesPolicyPath } from './policy-glob.js';
import { type BatchPolicyChecker, CAPABILITIES, type Capability } from './policy-types.js';

export type Grant = Exclude<Capability, 'deny'>;

const GRANTS = CAPABILITIES.filter((c): c is Grant => c !== 'deny');
const NONE: ReadonlySet<Grant> = new Set();

/** What evaluation needs of a policy already known to be attached to the actor. */
export interface AttachedPolicy {
  readonly path: string;
  readonly capabilities: readonly string[];
}

/**
 * The rule, for the policies attached to an actor's user and role: a matching `deny` leaves
 * nothing; otherwise the union of the matching grants. Admins hold every grant on every path,
 * unless a deny attached to them matches. No match and no admin role: nothing (default deny).
 */
export function evaluatePolicies(
  policies: readonly AttachedPolicy[],
  role: Role,
  name: string,
): ReadonlySet<Grant> {
  const granted = new Set<Grant>(role === 'admin' ? GRANTS : []);
  for (const policy of policies) {
    if (!matchesPolicyPath(policy.path, name)) continue;
    if (policy.capabilities.includes('deny')) return NONE;
    for (const capability of policy.capabilities) {
      if ((GRANTS as readonly string[]).includes(capability)) granted.add(capability as Grant);
    }
  }
  return granted;
}

export interface PolicyCheckerDeps {
  readonly store: Pick<PolicyStore, 'forActor'>;
}

/**
 * No in-process cache: a deny added on another node must apply to the very next request, and
 * nothing tells this node when that happens. The read is one indexed query per decision; only
 * the compiled globs are cached (by path string, see policy-glob.ts).
 */
export function createPolicyChecker(deps: PolicyCheckerDeps): BatchPolicyChecker {
  const decider: BatchPolicyChecker['decider'] = async (actor) => {
    const policies = await deps.store.forActor(actor, actor.role);
    return (name) => evaluatePolicies(policies, actor.role, name);
  };
  return {
    decider,
    capabilities: async (actor, name) => (await decider(actor))(name),
  };
}
