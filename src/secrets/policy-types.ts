import type { Identity, Role } from '../domain/principal.js';

/**
 * Capabilities a policy grants on the secret paths its glob matches. `deny` wins over every grant;
 * a path no policy grants is denied (default deny).
 */
export const CAPABILITIES = ['read', 'list', 'create', 'update', 'delete', 'deny'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * Who a policy is attached to: every principal holding a role, one account (by user id), or one
 * machine identity (by machine id).
 */
export type PolicySubject =
  | { readonly type: 'role'; readonly role: Role }
  | { readonly type: 'user'; readonly userId: string }
  | { readonly type: 'machine'; readonly machineId: string };

export interface Policy {
  readonly id: string;
  readonly subject: PolicySubject;
  /** A glob over secret names: `*` within one segment, `**` across segments (policy-glob.ts). */
  readonly path: string;
  readonly capabilities: readonly Capability[];
  readonly createdAt: Date;
}

/** The principal a decision is made for: its own policies (by kind and id) and its role's. */
export type PolicyActor = Pick<Identity, 'kind' | 'id' | 'role'>;

/** Answers "may this account do this to this secret name?" from the stored policies. */
export interface PolicyChecker {
  /** The capabilities `actor` holds on `name`, deny already applied (a denied name holds none). */
  capabilities(actor: PolicyActor, name: string): Promise<ReadonlySet<Exclude<Capability, 'deny'>>>;
}

/** The rule applied to one actor's policies, read once: decides many names (a secret list page). */
export type PolicyDecider = (name: string) => ReadonlySet<Exclude<Capability, 'deny'>>;

/** A PolicyChecker that can also read an actor's policies once for a batch of names. */
export interface BatchPolicyChecker extends PolicyChecker {
  decider(actor: PolicyActor): Promise<PolicyDecider>;
}
