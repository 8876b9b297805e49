import type { AuditEvent } from '../audit/audit-types.js';
import type { PolicyRecord } from './policy-store.js';

/** A machine identity as stored. Durations in seconds (0 = the setting, or no limit); times epoch ms. */
export interface MachineRecord {
  readonly id: string;
  readonly name: string;
  readonly roleId: string;
  readonly role: string;
  readonly tokenTtlSeconds: number;
  readonly tokenMaxTtlSeconds: number;
  readonly tokenNumUses: number;
  readonly secretIdTtlSeconds: number;
  readonly secretIdNumUses: number;
  /** Networks a sign-in must come from; undefined for anywhere. */
  readonly secretIdBoundCidrs: readonly string[] | undefined;
  /** Networks its tokens are bound to; undefined for anywhere. */
  readonly tokenBoundCidrs: readonly string[] | undefined;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A secret_id as stored: only the SHA-256 of what the client holds. */
export interface SecretIdRecord {
  readonly accessor: string;
  readonly machineId: string;
  readonly hash: string;
  /** This secret_id's own networks (on top of the machine's); undefined for none of its own. */
  readonly cidrs: readonly string[] | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  /** Sign-ins left; undefined for unlimited. */
  readonly usesLeft: number | undefined;
  readonly expiresAt: number | undefined;
  readonly createdAt: number;
  readonly revokedAt: number | undefined;
  /** When the sign-in that took its last counted use was spent; undefined while it has uses left. */
  readonly usedUpAt: number | undefined;
}

/**
 * Machine identities and their secret_ids (SQL on every backend). Changes take the audit events of
 * the change and store them in the same atomic step.
 */
export interface MachineStore {
  /**
   * Stores a new machine with its policies (subject type `machine`) and `events`, all in one atomic
   * step. Guarantee: of concurrent creates with one name, from any number of nodes, exactly one
   * returns true; the others store nothing (no policies, no events) and return false.
   */
  create(
    machine: MachineRecord,
    policies: readonly PolicyRecord[],
    events: readonly AuditEvent[],
  ): Promise<boolean>;
  /**
   * Replaces the settings of the machine with this id (its name, role_id, created_at stay) and
   * stores `events`, in one atomic step, if its `updatedAt` is still `expectedUpdatedAt`: a
   * compare-and-set, so of concurrent updates made from one read, from any number of nodes,
   * exactly one lands. False (nothing stored) when it changed meanwhile or is gone.
   */
  update(machine: MachineRecord, expectedUpdatedAt: number, events: readonly AuditEvent[]): Promise<boolean>;
  findById(id: string): Promise<MachineRecord | undefined>;
  findByName(name: string): Promise<MachineRecord | undefined>;
  findByRoleId(roleId: string): Promise<MachineRecord | undefined>;
  /** Every machine, by name. */
  list(): Promise<MachineRecord[]>;
  /**
   * Deletes a machine with its secret_ids, its `machine` policies, its sessions (so its tokens stop
   * at once, on every node) and `events`, in one atomic step; false when there was none. A session
   * or policy being created for it concurrently is either deleted with it or not created.
   */
  delete(id: string, events: readonly AuditEvent[]): Promise<boolean>;
  /** Stores a secret_id with `events` while its machine exists (checked in the same step); false otherwise. */
  createSecretId(secretId: SecretIdRecord, events: readonly AuditEvent[]): Promise<boolean>;
  /** The machine's secret_ids live at `now` (not revoked, not expired, uses left), oldest first. */
  listSecretIds(machineId: string, now: number): Promise<SecretIdRecord[]>;
  /** The secret_id with this hash, in whatever state; undefined when unknown. */
  findSecretId(hash: string): Promise<SecretIdRecord | undefined>;
  /** Revokes one of the machine's live secret_ids with `events`; false (no events) when none is live. */
  revokeSecretId(
    machineId: string,
    accessor: string,
    now: number,
    events: readonly AuditEvent[],
  ): Promise<boolean>;
  /**
   * Spends one sign-in of the machine's secret_id with this hash: checks it is live at `now` (not
   * revoked, not expired, a use left) and takes a use when they are counted, as one atomic
   * operation. Guarantee: under concurrent calls from any number of nodes, a secret_id with N uses
   * is spent exactly N times; none once it is revoked or expired. Returns the machine, or undefined
   * when nothing was spent.
   */
  spendSecretId(machineId: string, hash: string, now: number): Promise<MachineRecord | undefined>;
  /**
   * Deletes up to `limit` secret_ids that ended before `before`: revoked, expired, or used up
   * (`usedUpAt`) then; returns how many. Concurrent calls from any number of nodes never count
   * one secret_id twice.
   */
  purgeEndedSecretIds(before: number, limit: number): Promise<number>;
}
