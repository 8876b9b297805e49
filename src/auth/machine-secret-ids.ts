import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { AuditEvent, EventData, EventType } from '../audit/audit-types.js';
import { HushError } from '../errors/hush-error.js';
import type { MachineRecord, MachineStore, SecretIdRecord } from '../storage/machine-store.js';
import { toSecretIdInfo } from './machine-records.js';
import { newSecretId } from './machine-secret-id.js';
import type { MachineAuthor, MachineService, SecretIdInput } from './machine-types.js';
import {
  cidrsWithin,
  invalid,
  MAX_SECRET_ID_TTL,
  MAX_USES,
  validateCidrs,
  validateCount,
  validateMetadata,
} from './machine-validation.js';

export interface SecretIdMakerDeps {
  readonly store: MachineStore;
  readonly audit: AuditService;
  readonly now: () => number;
  readonly find: (name: string) => Promise<MachineRecord>;
  readonly event: (type: EventType, id: string, by: MachineAuthor, data: EventData) => AuditEvent;
}

/**
 * A limit of a new secret_id: the machine's when none is asked for; else at most the machine's,
 * where it has one (0 = none). Returns 0 for none.
 */
function limit(asked: number | undefined, machines: number, field: string, max: number): number {
  if (asked === undefined) return machines;
  if (machines === 0) return validateCount(asked, field, max);
  return validateCount(asked, field, machines, 1);
}

/** The networks of a new secret_id: within the machine's, when it has some. */
function networks(input: SecretIdInput, machine: MachineRecord): string[] | undefined {
  const cidrs = validateCidrs(input.cidrs, 'cidrs');
  if (cidrs && machine.secretIdBoundCidrs && !cidrsWithin(cidrs, machine.secretIdBoundCidrs)) {
    throw invalid('cidrs must lie within the machine’s secret_id_bound_cidrs.');
  }
  return cidrs;
}

/** Making and revoking secret_ids: shown once, stored as SHA-256 hashes, listed by accessor. */
export function createSecretIdMaker(
  deps: SecretIdMakerDeps,
): Pick<MachineService, 'createSecretId' | 'revokeSecretId'> {
  const { store, audit, now, find, event } = deps;
  return {
    async createSecretId(name, input, by) {
      const machine = await find(name);
      const ttl = limit(input.ttlSeconds, machine.secretIdTtlSeconds, 'ttl_seconds', MAX_SECRET_ID_TTL);
      const uses = limit(input.numUses, machine.secretIdNumUses, 'num_uses', MAX_USES);
      const cidrs = networks(input, machine);
      const metadata = validateMetadata(input.metadata);
      const secret = newSecretId();
      const at = now();
      const record: SecretIdRecord = {
        accessor: randomUUID(),
        machineId: machine.id,
        hash: secret.hash,
        cidrs,
        metadata,
        usesLeft: uses === 0 ? undefined : uses,
        expiresAt: ttl === 0 ? undefined : at + ttl * 1000,
        createdAt: at,
        revokedAt: undefined,
        usedUpAt: undefined,
      };
      const events = [
        event('machine.secret_id_created', machine.id, by, { name, accessor: record.accessor }),
      ];
      if (!(await store.createSecretId(record, events))) throw new HushError('not_found', 'No such machine.');
      audit.stored(events);
      return { ...toSecretIdInfo(record), secretId: secret.secretId };
    },

    async revokeSecretId(name, accessor, by) {
      const machine = await find(name);
      const events = [event('machine.secret_id_revoked', machine.id, by, { name, accessor })];
      if (!(await store.revokeSecretId(machine.id, accessor, now(), events))) {
        throw new HushError('not_found', 'No such secret_id.');
      }
      audit.stored(events);
    },
  };
}
