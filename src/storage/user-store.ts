import type { AuditEvent } from '../audit/audit-types.js';
import { usernameSkeleton } from './username-skeleton.js';

/** An account as stored: the password only as its Argon2id hash. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly email: string | undefined;
  readonly role: string;
  readonly passwordHash: string;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  /** The numeric GitHub user id (as text) of an account that signs in through GitHub. */
  readonly githubId?: string | undefined;
}

/** What a change guarded by the last-admin rule did: `done`, or nothing and why. */
export type GuardedOutcome = 'done' | 'last_admin' | 'not_found';

/** What the user service needs from storage (SQL on every backend). */
export interface UserStore {
  /**
   * Stores a new account with `events`, in one atomic step. Guarantee: of concurrent creates with
   * one username, one GitHub id, or (local accounts) usernames with one UTS #39 skeleton, from any
   * number of nodes, exactly one returns true; the others return false and store nothing (no
   * events either). False also when the name looks like an existing local account's.
   */
  create(user: UserRecord, events?: readonly AuditEvent[]): Promise<boolean>;
  findByUsername(username: string): Promise<UserRecord | undefined>;
  findByGithubId(githubId: string): Promise<UserRecord | undefined>;
  findById(id: string): Promise<UserRecord | undefined>;
  /**
   * Changes an account's role with `events`, in one atomic step, unless that takes the role
   * `admin` from the last account holding it. Guarantee: under concurrent calls (demotions and
   * deletions alike) from any number of nodes, at least one admin always remains.
   */
  setRoleUnlessLastAdmin(id: string, role: string, events: readonly AuditEvent[]): Promise<GuardedOutcome>;
  /** Ordered by username; `total` counts every account. */
  list(offset: number, limit: number): Promise<{ total: number; users: UserRecord[] }>;
  /**
   * Deletes an account and, in the same atomic step, the policies attached to it, its sessions
   * (and so its tokens) and `events`, unless it is the last admin. Guarantee: under
   * concurrent calls (deletions and demotions alike) from any number of nodes, at least one admin
   * always remains: of two admins deleting each other at once, exactly one is deleted.
   */
  deleteUnlessLastAdmin(username: string, events: readonly AuditEvent[]): Promise<GuardedOutcome>;
  /** How many accounts hold `role` (the first-start admin is created only when there is none). */
  countByRole(role: string): Promise<number>;
}

/** The skeleton stored with an account: local accounts only (see usernameSkeletonMigration). */
export function skeletonOf(user: UserRecord): string | null {
  return user.githubId === undefined ? usernameSkeleton(user.username) : null;
}
