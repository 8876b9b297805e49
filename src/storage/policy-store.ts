import type { AuditEvent } from '../audit/audit-types.js';
import type { PrincipalKind } from '../domain/principal.js';

/**
 * A policy as stored. User and machine subjects are kept by id, so renaming an account keeps its
 * policies.
 */
export interface PolicyRecord {
  readonly id: string;
  /** 'role', 'user' or 'machine'. */
  readonly subjectType: string;
  /** A role name, a user id or a machine id. */
  readonly subject: string;
  readonly path: string;
  readonly capabilities: readonly string[];
  /** Epoch milliseconds. */
  readonly createdAt: number;
}

/** A policy as an admin lists it: user and machine subjects also by their name. */
export interface PolicyListing extends PolicyRecord {
  /** The username behind a user subject; undefined for roles and for deleted accounts. */
  readonly username: string | undefined;
  /** The name of a machine subject; undefined for other subjects and for deleted machines. */
  readonly machineName?: string | undefined;
}

export interface PolicyFilter {
  readonly subjectType?: string | undefined;
  readonly subject?: string | undefined;
}

/** What the policy service and checker need from storage (SQL on every backend). */
export interface PolicyStore {
  /**
   * Stores a policy with `events`, in one atomic step. A user (machine) policy is stored only while
   * its account (machine identity) exists, checked in the same step, so one cannot outlive a
   * principal deleted meanwhile; false (and no events) when it was not stored.
   */
  create(policy: PolicyRecord, events: readonly AuditEvent[]): Promise<boolean>;
  /**
   * The policies attached to the principal (subject type = its kind, subject = its id) or to
   * `role`, read in one indexed query at call time: a policy created or deleted on any node counts
   * from the next call on.
   */
  forActor(
    principal: { readonly kind: PrincipalKind; readonly id: string },
    role: string,
  ): Promise<PolicyRecord[]>;
  /** Oldest first. */
  list(filter: PolicyFilter): Promise<PolicyListing[]>;
  /**
   * Deletes a policy and returns what it was, or undefined when there was none, storing the events
   * `eventsFor(deleted)` returns in the same atomic step. Guarantee: of concurrent deletes of one
   * id, from any number of nodes, exactly one gets the policy back (and stores its events).
   */
  delete(
    id: string,
    eventsFor: (deleted: PolicyListing) => readonly AuditEvent[],
  ): Promise<PolicyListing | undefined>;
}
