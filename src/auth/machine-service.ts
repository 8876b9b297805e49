import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit-service.js';
import type { EventData } from '../audit/audit-types.js';
import { actorOf } from '../domain/principal.js';
import { HushError } from '../errors/hush-error.js';
import { preparePolicy } from '../secrets/policy-service.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { MachineRecord, MachineStore } from '../storage/machine-store.js';
import { createMachineLogin } from './machine-login.js';
import { machineSubject, toMachine, toSecretIdInfo } from './machine-records.js';
import { createSecretIdMaker } from './machine-secret-ids.js';
import type { MachineAuthor, MachineInput, MachineService } from './machine-types.js';
import {
  MAX_SECRET_ID_TTL,
  MAX_USES,
  validateCidrs,
  validateCount,
  validateMachineName,
  validateRole,
  validateTokenLimits,
} from './machine-validation.js';
import type { TokenService } from './token-types.js';

export interface MachineServiceDeps {
  readonly store: MachineStore;
  readonly tokens: Pick<TokenService, 'issue'>;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly now?: () => number;
}

const notFound = () => new HushError('not_found', 'No such machine.');

/** The settings of `input` over `base` (a new machine's defaults, or the stored machine), checked. */
function settingsOf(base: MachineRecord, input: MachineInput, settings: SettingsReader): MachineRecord {
  const merged = {
    ...base,
    role: input.role === undefined ? base.role : validateRole(input.role),
    tokenTtlSeconds: input.tokenTtlSeconds ?? base.tokenTtlSeconds,
    tokenMaxTtlSeconds: input.tokenMaxTtlSeconds ?? base.tokenMaxTtlSeconds,
    tokenNumUses: input.tokenNumUses ?? base.tokenNumUses,
    secretIdTtlSeconds: validateCount(
      input.secretIdTtlSeconds ?? base.secretIdTtlSeconds,
      'secret_id_ttl_seconds',
      MAX_SECRET_ID_TTL,
    ),
    secretIdNumUses: validateCount(
      input.secretIdNumUses ?? base.secretIdNumUses,
      'secret_id_num_uses',
      MAX_USES,
    ),
    secretIdBoundCidrs:
      input.secretIdBoundCidrs === undefined
        ? base.secretIdBoundCidrs
        : validateCidrs(input.secretIdBoundCidrs ?? [], 'secret_id_bound_cidrs'),
    tokenBoundCidrs:
      input.tokenBoundCidrs === undefined
        ? base.tokenBoundCidrs
        : validateCidrs(input.tokenBoundCidrs ?? [], 'token_bound_cidrs'),
  };
  validateTokenLimits(merged, settings);
  return merged;
}

/** Which settings an update changed, for its event (names only: none of them is secret). */
function changedFields(before: MachineRecord, after: MachineRecord): string {
  const fields: [keyof MachineRecord, string][] = [
    ['role', 'role'],
    ['tokenTtlSeconds', 'token_ttl_seconds'],
    ['tokenMaxTtlSeconds', 'token_max_ttl_seconds'],
    ['tokenNumUses', 'token_num_uses'],
    ['secretIdTtlSeconds', 'secret_id_ttl_seconds'],
    ['secretIdNumUses', 'secret_id_num_uses'],
    ['secretIdBoundCidrs', 'secret_id_bound_cidrs'],
    ['tokenBoundCidrs', 'token_bound_cidrs'],
  ];
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return fields
    .filter(([key]) => !same(before[key], after[key]))
    .map(([, name]) => name)
    .join(',');
}

/** Compare-and-set rounds before an update under constant concurrent change gives up. */
const UPDATE_ATTEMPTS = 8;

export function createMachineService(deps: MachineServiceDeps): MachineService {
  const { store, audit, settings } = deps;
  const now = deps.now ?? Date.now;
  const event = (
    type: Parameters<AuditService['prepare']>[0]['type'],
    id: string,
    by: MachineAuthor,
    data: EventData,
  ) =>
    audit.prepare({ type, actor: actorOf(by.actor), client: by.client, subject: machineSubject(id), data });
  const find = async (name: string) => {
    const machine = await store.findByName(name);
    if (!machine) throw notFound();
    return machine;
  };

  return {
    async create(name, input, by) {
      const at = now();
      const blank: MachineRecord = {
        id: randomUUID(),
        name: validateMachineName(name),
        roleId: randomUUID(),
        role: 'user',
        tokenTtlSeconds: 0,
        tokenMaxTtlSeconds: 0,
        tokenNumUses: 0,
        secretIdTtlSeconds: 0,
        secretIdNumUses: 0,
        secretIdBoundCidrs: undefined,
        tokenBoundCidrs: undefined,
        createdAt: at,
        updatedAt: at,
      };
      const machine = settingsOf(blank, input, settings);
      const subject = { type: 'machine', id: machine.id, name: machine.name } as const;
      // A bad rule is invalid_policy (400), as it would be on its own.
      const rules = (input.policies ?? []).map((rule) => preparePolicy(audit, subject, rule, by, at));
      const events = [
        event('machine.created', machine.id, by, { name: machine.name, role: machine.role }),
        ...rules.map((rule) => rule.event),
      ];
      // Machine, policies and events in one step: no policy of a machine that was never created.
      const policies = rules.map((rule) => rule.record);
      if (!(await store.create(machine, policies, events))) throw new HushError('machine_exists');
      audit.stored(events);
      return toMachine(machine);
    },

    async update(name, input, by) {
      // Read, merge, validate, then compare-and-set on updated_at: a concurrent change (another
      // admin tightening networks, say) is re-read and merged, never overwritten.
      for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt += 1) {
        const before = await find(name);
        // Strictly later than the version it replaces, even within one millisecond.
        const updatedAt = Math.max(now(), before.updatedAt + 1);
        const after = { ...settingsOf(before, input, settings), updatedAt };
        const fields = changedFields(before, after);
        const events = [event('machine.updated', before.id, by, { name: before.name, fields })];
        if (await store.update(after, before.updatedAt, events)) {
          audit.stored(events);
          return toMachine(after);
        }
      }
      throw new HushError('unavailable', 'The machine kept changing while this update was made; retry.');
    },

    get: async (name) => toMachine(await find(name)),
    list: async () => (await store.list()).map(toMachine),

    async delete(name, by) {
      const machine = await find(name);
      const events = [event('machine.deleted', machine.id, by, { name: machine.name })];
      if (!(await store.delete(machine.id, events))) throw notFound();
      audit.stored(events);
    },

    ...createSecretIdMaker({ store, audit, now, find, event }),

    async listSecretIds(name) {
      const machine = await find(name);
      return (await store.listSecretIds(machine.id, now())).map(toSecretIdInfo);
    },

    login: createMachineLogin({ store, tokens: deps.tokens, audit, settings, now }),
  };
}
