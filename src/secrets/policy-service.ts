import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent } from '../audit/audit-types.js';
import { ROLES, type Role } from '../auth/user-types.js';
import { normalizeUsername } from '../auth/user-validation.js';
import type { ClientInfo } from '../domain/client-info.js';
import { actorOf, type Identity } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import type { MachineStore } from '../storage/machine-store.js';
import type { PolicyListing, PolicyRecord, PolicyStore } from '../storage/policy-store.js';
import type { UserStore } from '../storage/user-store.js';
import { validatePolicyPath } from './policy-glob.js';
import { CAPABILITIES, type Capability, type Policy, type PolicySubject } from './policy-types.js';

/** A policy as admins see it: the subject also by name (a role, the username, the machine's name). */
export interface PolicyView extends Policy {
  /** The role, the username or the machine's name; the id if no such principal exists any more. */
  readonly subjectName: string;
}

/** Subjects as admins name them: a role, an account by username, a machine identity by name or id. */
export interface PolicyInput {
  readonly subjectType: string;
  readonly subject: string;
  readonly path: string;
  readonly capabilities: readonly string[];
}

export interface PolicyListFilter {
  readonly subjectType?: string | undefined;
  readonly subject?: string | undefined;
}

/** Who changes policies, for the audit log. */
export interface PolicyAuthor {
  readonly actor: Pick<Identity, 'kind' | 'id' | 'name'>;
  readonly client?: ClientInfo | undefined;
}

/** A machine is named by its name or its id: printable, no spaces. */
const MACHINE_REF = /^[\x21-\x7e]{1,256}$/;

export interface PolicyServiceDeps {
  readonly store: PolicyStore;
  readonly users: Pick<UserStore, 'findByUsername'>;
  readonly machines: Pick<MachineStore, 'findByName' | 'findById'>;
  readonly audit: AuditService;
  readonly now?: () => number;
}

export interface PolicyService {
  /** Rejects with invalid_policy (400), or not_found (404) for an unknown username. */
  create(input: PolicyInput, by: PolicyAuthor): Promise<PolicyView>;
  /** Oldest first; a user filter names the account by username (not_found when unknown). */
  list(filter: PolicyListFilter): Promise<PolicyView[]>;
  /** Rejects with not_found when there is no such policy. */
  delete(id: string, by: PolicyAuthor): Promise<void>;
}

/** Known capabilities, once each, in CAPABILITIES order; at least one. */
export function validateCapabilities(capabilities: readonly string[]): Capability[] {
  const known = CAPABILITIES as readonly string[];
  if (capabilities.length === 0 || !capabilities.every((c) => known.includes(c))) {
    throw new HushError('invalid_policy', `capabilities must be one or more of ${CAPABILITIES.join(', ')}.`);
  }
  return CAPABILITIES.filter((c) => capabilities.includes(c));
}

type SubjectType = PolicySubject['type'];

function validateSubjectType(type: string): SubjectType {
  if (type !== 'role' && type !== 'user' && type !== 'machine')
    throw new HushError('invalid_policy', 'subject_type must be role, user or machine.');
  return type;
}

function subjectOf(listing: PolicyListing): PolicySubject {
  if (listing.subjectType === 'user') return { type: 'user', userId: listing.subject };
  if (listing.subjectType === 'machine') return { type: 'machine', machineId: listing.subject };
  return { type: 'role', role: listing.subject as Role };
}

function toView(listing: PolicyListing): PolicyView {
  const subject = subjectOf(listing);
  return {
    id: listing.id,
    subject,
    subjectName: listing.username ?? listing.machineName ?? listing.subject,
    path: listing.path,
    capabilities: listing.capabilities as Capability[],
    createdAt: new Date(listing.createdAt),
  };
}

/** What the audit log says about a policy (no secret in it). */
const describe = (view: PolicyView) => ({
  subject_type: view.subject.type,
  subject: view.subjectName,
  path: view.path,
  capabilities: view.capabilities.join(','),
});

const policyEvent = (type: 'policy.created' | 'policy.deleted', view: PolicyView, by: PolicyAuthor) => ({
  type,
  actor: actorOf(by.actor),
  subject: { kind: 'policy', id: view.id } as const,
  data: describe(view),
  client: by.client,
});

/** A resolved subject: what is stored (a role, a user or machine id) and its name. */
export interface ResolvedSubject {
  readonly type: SubjectType;
  readonly id: string;
  readonly name: string;
}

/**
 * A checked rule for a resolved subject, as a record with its policy.created event: what the
 * policy service stores, and what a machine's creation stores with the machine in one step.
 */
export function preparePolicy(
  audit: Pick<AuditService, 'prepare'>,
  subject: ResolvedSubject,
  rule: { readonly path: string; readonly capabilities: readonly string[] },
  by: PolicyAuthor,
  createdAt: number,
): { record: PolicyRecord; view: PolicyView; event: AuditEvent } {
  const record = {
    id: randomUUID(),
    subjectType: subject.type,
    subject: subject.id,
    path: validatePolicyPath(rule.path),
    capabilities: validateCapabilities(rule.capabilities),
    createdAt,
  };
  const view = toView({
    ...record,
    username: subject.type === 'user' ? subject.name : undefined,
    machineName: subject.type === 'machine' ? subject.name : undefined,
  });
  return { record, view, event: audit.prepare(policyEvent('policy.created', view, by)) };
}

export function createPolicyService(deps: PolicyServiceDeps): PolicyService {
  const now = deps.now ?? Date.now;

  /** The stored subject (a role, a user id or a machine id) and its display name. */
  const resolveSubject = async (type: SubjectType, subject: string): Promise<ResolvedSubject> => {
    if (type === 'machine') {
      if (!MACHINE_REF.test(subject)) {
        throw new HushError('invalid_policy', 'a machine subject is its name or its id.');
      }
      const machine = (await deps.machines.findByName(subject)) ?? (await deps.machines.findById(subject));
      if (!machine) throw new HushError('not_found', 'No such machine.');
      return { type, id: machine.id, name: machine.name };
    }
    if (type === 'role') {
      if (!(ROLES as readonly string[]).includes(subject)) {
        throw new HushError('invalid_policy', `a role subject must be one of ${ROLES.join(', ')}.`);
      }
      return { type, id: subject, name: subject };
    }
    const user = await deps.users.findByUsername(normalizeUsername(subject));
    if (!user) throw new HushError('not_found', 'No such user.');
    return { type, id: user.id, name: user.username };
  };

  return {
    async create(input, by) {
      const subjectType = validateSubjectType(input.subjectType);
      validatePolicyPath(input.path);
      validateCapabilities(input.capabilities);
      const subject = await resolveSubject(subjectType, input.subject);
      const { record, view, event } = preparePolicy(deps.audit, subject, input, by, now());
      // The principal may have been deleted since it was looked up: then nothing is stored.
      if (!(await deps.store.create(record, [event]))) {
        throw new HushError('not_found', subjectType === 'machine' ? 'No such machine.' : 'No such user.');
      }
      deps.audit.stored([event]);
      return view;
    },

    async list(filter) {
      if (filter.subject !== undefined && filter.subjectType === undefined) {
        throw new HushError('bad_request', 'subject needs subject_type.');
      }
      if (filter.subjectType === undefined) return (await deps.store.list({})).map(toView);
      const subjectType = validateSubjectType(filter.subjectType);
      const subject =
        filter.subject === undefined ? undefined : (await resolveSubject(subjectType, filter.subject)).id;
      return (await deps.store.list({ subjectType, subject })).map(toView);
    },

    async delete(id, by) {
      let events: AuditEvent[] = [];
      const deleted = await deps.store.delete(id, (policy) => {
        events = [deps.audit.prepare(policyEvent('policy.deleted', toView(policy), by))];
        return events;
      });
      if (!deleted) throw new HushError('not_found', 'No such policy.');
      deps.audit.stored(events);
    },
  };
}
