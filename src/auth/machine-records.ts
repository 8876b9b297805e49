import type { Actor } from '../audit/audit-types.js';
import type { Identity, Role } from '../domain/principal.js';
import type { MachineRecord, SecretIdRecord } from '../storage/machine-store.js';
import type { Machine, SecretIdInfo } from './machine-types.js';

/** A stored machine as callers see it. */
export function toMachine(record: MachineRecord): Machine {
  return {
    id: record.id,
    name: record.name,
    roleId: record.roleId,
    role: record.role as Role,
    tokenTtlSeconds: record.tokenTtlSeconds,
    tokenMaxTtlSeconds: record.tokenMaxTtlSeconds,
    tokenNumUses: record.tokenNumUses,
    secretIdTtlSeconds: record.secretIdTtlSeconds,
    secretIdNumUses: record.secretIdNumUses,
    secretIdBoundCidrs: record.secretIdBoundCidrs,
    tokenBoundCidrs: record.tokenBoundCidrs,
    createdAt: new Date(record.createdAt),
    updatedAt: new Date(record.updatedAt),
  };
}

/** A stored secret_id as listed: never its hash. */
export function toSecretIdInfo(record: SecretIdRecord): SecretIdInfo {
  return {
    accessor: record.accessor,
    createdAt: new Date(record.createdAt),
    expiresAt: record.expiresAt === undefined ? undefined : new Date(record.expiresAt),
    usesLeft: record.usesLeft,
    cidrs: record.cidrs,
    metadata: record.metadata,
  };
}

/** The principal a machine signs in as. */
export const machineIdentity = (machine: MachineRecord): Identity => ({
  kind: 'machine',
  id: machine.id,
  name: machine.name,
  role: machine.role as Role,
});

/** The audit actor of a machine (its name as it is now). */
export const machineActor = (machine: Pick<MachineRecord, 'id' | 'name'>): Actor => ({
  kind: 'machine',
  id: machine.id,
  name: machine.name,
});

export const machineSubject = (id: string) => ({ kind: 'machine', id }) as const;
