import type { ClientInfo } from '../domain/client-info.js';
import type { Identity, Role } from '../domain/principal.js';
import type { IssuedTokens } from './token-types.js';

/**
 * A machine identity (AppRole's role): a service or CI job that signs in with its `role_id` and a
 * `secret_id`. Policies attach to it with subject type `machine` and its id; its role's policies
 * apply too. Durations in seconds; 0 means "no limit" where a field says so.
 */
export interface Machine {
  readonly id: string;
  /** Unique, [A-Za-z0-9._-]{1,128}: how admins (and Vault's role routes) name it. */
  readonly name: string;
  /** Public half of the sign-in, like a username: random, stable, unique. */
  readonly roleId: string;
  readonly role: Role;
  /** Access-token lifetime; 0 = the `tokens.access_ttl_seconds` setting. */
  readonly tokenTtlSeconds: number;
  /** Session max TTL; 0 = the `tokens.max_ttl_seconds` setting. */
  readonly tokenMaxTtlSeconds: number;
  /** Uses per access token; 0 = uncounted. */
  readonly tokenNumUses: number;
  /** Lifetime of a new secret_id; 0 = no expiry. */
  readonly secretIdTtlSeconds: number;
  /** Sign-ins a new secret_id allows; 0 = unlimited. */
  readonly secretIdNumUses: number;
  /** Networks a sign-in must come from; undefined = anywhere. */
  readonly secretIdBoundCidrs: readonly string[] | undefined;
  /** Networks its tokens may be used from; undefined = anywhere. */
  readonly tokenBoundCidrs: readonly string[] | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** A rule attached to the machine at creation (stored as a policy with subject type `machine`). */
export interface MachinePolicyInput {
  readonly path: string;
  readonly capabilities: readonly string[];
}

export type MachineInput = Partial<Omit<Machine, 'id' | 'name' | 'roleId' | 'createdAt' | 'updatedAt'>> & {
  readonly policies?: readonly MachinePolicyInput[] | undefined;
};

export interface SecretIdInput {
  /** At most the machine's secretIdTtlSeconds when that is set; undefined = the machine's. */
  readonly ttlSeconds?: number | undefined;
  /** At most the machine's secretIdNumUses when that is set; undefined = the machine's. */
  readonly numUses?: number | undefined;
  /** Narrower networks for this secret_id (within the machine's, when it has some). */
  readonly cidrs?: readonly string[] | undefined;
  /** Labels shown when listing (not secret). */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
}

/** A secret_id as listed: by its accessor, never the secret_id itself. */
export interface SecretIdInfo {
  readonly accessor: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | undefined;
  /** Sign-ins left; undefined = unlimited. */
  readonly usesLeft: number | undefined;
  readonly cidrs: readonly string[] | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A new secret_id: shown once, stored only as a hash. */
export interface IssuedSecretId extends SecretIdInfo {
  readonly secretId: string;
}

/** Who administers machines, for the audit log. */
export interface MachineAuthor {
  readonly actor: Pick<Identity, 'kind' | 'id' | 'name'>;
  readonly client: ClientInfo;
}

/**
 * Machine identities. Names that do not exist answer not_found (404); invalid input invalid_machine
 * (400); a name in use machine_exists (409). Every change is audited in the same atomic step.
 */
export interface MachineService {
  create(name: string, input: MachineInput, by: MachineAuthor): Promise<Machine>;
  /** Changes the given fields; policies are not touched (manage them as policies). */
  update(name: string, input: MachineInput, by: MachineAuthor): Promise<Machine>;
  get(name: string): Promise<Machine>;
  list(): Promise<readonly Machine[]>;
  /** Deletes it with its secret_ids, policies and sessions (its tokens stop at once). */
  delete(name: string, by: MachineAuthor): Promise<void>;
  createSecretId(name: string, input: SecretIdInput, by: MachineAuthor): Promise<IssuedSecretId>;
  listSecretIds(name: string): Promise<readonly SecretIdInfo[]>;
  /** not_found when the accessor is not one of the machine's live secret_ids. */
  revokeSecretId(name: string, accessor: string, by: MachineAuthor): Promise<void>;
  /**
   * role_id + secret_id → a session's tokens (audited auth.login and token.created with data.method
   * `approle`, or auth.login_failed).
   * Spending a counted secret_id use is one atomic store step: under any race, on any number of
   * nodes, a secret_id with N uses signs in exactly N times. Every failure (unknown role_id, wrong,
   * used-up or expired secret_id, address outside the bound networks) is the same invalid_grant.
   */
  login(roleId: string, secretId: string, client: ClientInfo): Promise<IssuedTokens & { machine: Machine }>;
}
