import { randomUUID } from 'node:crypto';
import type { MachineRecord } from '../../src/storage/machine-store.js';

/** A machine identity as stored, for store-level tests: every limit "the setting", anywhere. */
export function machineRecord(overrides: Partial<MachineRecord> = {}): MachineRecord {
  const now = Date.now();
  return {
    id: randomUUID(),
    name: `machine-${randomUUID().slice(0, 8)}`,
    roleId: randomUUID(),
    role: 'user',
    tokenTtlSeconds: 0,
    tokenMaxTtlSeconds: 0,
    tokenNumUses: 0,
    secretIdTtlSeconds: 0,
    secretIdNumUses: 0,
    secretIdBoundCidrs: undefined,
    tokenBoundCidrs: undefined,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}
