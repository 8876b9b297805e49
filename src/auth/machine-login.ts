import type { AuditService } from '../audit/audit-service.js';
import type { ClientInfo } from '../domain/client-info.js';
import { HushError } from '../errors/hush-error.js';
import type { SettingsReader } from '../settings/setting-definitions.js';
import type { MachineRecord, MachineStore } from '../storage/machine-store.js';
import { addressAllowed } from './ip-binding.js';
import { machineActor, machineIdentity, toMachine } from './machine-records.js';
import { parseSecretId } from './machine-secret-id.js';
import type { MachineService } from './machine-types.js';
import type { TokenService } from './token-types.js';

export interface MachineLoginDeps {
  readonly store: MachineStore;
  readonly tokens: Pick<TokenService, 'issue'>;
  readonly audit: AuditService;
  readonly settings: SettingsReader;
  readonly now: () => number;
}

const REFUSED = 'The role_id or secret_id is not valid.';
const ROLE_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The AppRole sign-in: role_id → machine, the secret_id's networks checked, one use spent (one
 * atomic store step), then a session issued for the machine. Every failure is the same
 * invalid_grant; the audit log says why (never the secret_id).
 */
export function createMachineLogin(deps: MachineLoginDeps): MachineService['login'] {
  const { store, audit, settings } = deps;

  const refuse = async (client: ClientInfo, reason: string, machine?: MachineRecord): Promise<never> => {
    await audit.record({
      type: 'auth.login_failed',
      actor: machine && machineActor(machine),
      client,
      data: { method: 'approle', known_role: machine !== undefined, reason },
    });
    throw new HushError('invalid_grant', REFUSED);
  };

  /** The machine's token limits, within the settings as they are now (they may have been lowered). */
  const limits = (machine: MachineRecord) => {
    const atMost = (value: number, key: 'tokens.access_ttl_seconds' | 'tokens.max_ttl_seconds') =>
      value === 0 ? settings.get(key) : Math.min(value, settings.get(key));
    return {
      ttlSeconds: atMost(machine.tokenTtlSeconds, 'tokens.access_ttl_seconds'),
      maxTtlSeconds: atMost(machine.tokenMaxTtlSeconds, 'tokens.max_ttl_seconds'),
      maxUses: machine.tokenNumUses === 0 ? undefined : machine.tokenNumUses,
      boundCidrs: machine.tokenBoundCidrs,
    };
  };

  return async (roleId, secretIdText, client) => {
    const machine = ROLE_ID.test(roleId) ? await store.findByRoleId(roleId) : undefined;
    if (!machine) return refuse(client, 'unknown_role_id');
    const parsed = parseSecretId(secretIdText);
    const found = parsed && (await store.findSecretId(parsed.hash));
    if (!parsed || found?.machineId !== machine.id) return refuse(client, 'unknown_secret_id', machine);
    // Checked before the use is spent: a sign-in from the wrong network costs none.
    const bound = [machine.secretIdBoundCidrs, found.cidrs];
    if (bound.some((cidrs) => cidrs !== undefined && !addressAllowed(client.ip, cidrs))) {
      return refuse(client, 'address_not_allowed', machine);
    }
    const spent = await store.spendSecretId(machine.id, parsed.hash, deps.now());
    if (!spent) return refuse(client, 'secret_id_not_live', machine);
    try {
      const issued = await deps.tokens.issue(machineIdentity(spent), {
        ...limits(spent),
        client,
        method: 'approle',
      });
      return { ...issued, machine: toMachine(spent) };
    } catch (error) {
      // Deleted between the spend and its session: refused as any other failure.
      if (error instanceof HushError && error.code === 'invalid_grant')
        return refuse(client, 'machine_gone', spent);
      throw error;
    }
  };
}
