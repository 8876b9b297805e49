import type { Selectable } from 'kysely';
import type { MachineRecord, SecretIdRecord } from '../machine-store.js';
import type { MachineSecretIdsTable, MachinesTable } from './schema.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const MACHINE_COLUMNS = [
  'id',
  'name',
  'role_id',
  'role',
  'token_ttl_seconds',
  'token_max_ttl_seconds',
  'token_num_uses',
  'secret_id_ttl_seconds',
  'secret_id_num_uses',
  'secret_id_bound_cidrs',
  'token_bound_cidrs',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof MachinesTable)[];

export const SECRET_ID_COLUMNS = [
  'accessor',
  'machine_id',
  'hash',
  'cidrs',
  'metadata',
  'uses_left',
  'expires_at',
  'created_at',
  'revoked_at',
  'used_up_at',
] as const satisfies readonly (keyof MachineSecretIdsTable)[];

/** PostgreSQL returns bigint as text; SQLite as number. Epoch milliseconds fit a double exactly. */
type Wide<T> = {
  [K in keyof T]: T[K] extends number
    ? number | string
    : T[K] extends number | null
      ? number | string | null
      : T[K];
};
export type MachineRow = Wide<Selectable<MachinesTable>>;
export type SecretIdRow = Wide<Selectable<MachineSecretIdsTable>>;

const ms = (value: number | string) => Number(value);
const optionalMs = (value: number | string | null) => (value === null ? undefined : Number(value));
/** CIDR lists are one comma-separated column; null for none. */
const cidrsOf = (value: string | null) => (value === null ? undefined : value.split(','));
export const joinCidrs = (cidrs: readonly string[] | undefined) =>
  cidrs === undefined || cidrs.length === 0 ? null : cidrs.join(',');

export function machineFromRow(row: MachineRow): MachineRecord {
  return {
    id: row.id,
    name: row.name,
    roleId: row.role_id,
    role: row.role,
    tokenTtlSeconds: Number(row.token_ttl_seconds),
    tokenMaxTtlSeconds: Number(row.token_max_ttl_seconds),
    tokenNumUses: Number(row.token_num_uses),
    secretIdTtlSeconds: Number(row.secret_id_ttl_seconds),
    secretIdNumUses: Number(row.secret_id_num_uses),
    secretIdBoundCidrs: cidrsOf(row.secret_id_bound_cidrs),
    tokenBoundCidrs: cidrsOf(row.token_bound_cidrs),
    createdAt: ms(row.created_at),
    updatedAt: ms(row.updated_at),
  };
}

export function secretIdFromRow(row: SecretIdRow): SecretIdRecord {
  return {
    accessor: row.accessor,
    machineId: row.machine_id,
    hash: row.hash,
    cidrs: cidrsOf(row.cidrs),
    metadata: JSON.parse(row.metadata) as Record<string, string>,
    usesLeft: row.uses_left === null ? undefined : Number(row.uses_left),
    expiresAt: optionalMs(row.expires_at),
    createdAt: ms(row.created_at),
    revokedAt: optionalMs(row.revoked_at),
    usedUpAt: optionalMs(row.used_up_at),
  };
}

/** Column values of a machine row, in MACHINE_COLUMNS order. */
export function machineValues(m: MachineRecord) {
  return [
    m.id,
    m.name,
    m.roleId,
    m.role,
    m.tokenTtlSeconds,
    m.tokenMaxTtlSeconds,
    m.tokenNumUses,
    m.secretIdTtlSeconds,
    m.secretIdNumUses,
    joinCidrs(m.secretIdBoundCidrs),
    joinCidrs(m.tokenBoundCidrs),
    m.createdAt,
    m.updatedAt,
  ] as const;
}

/** Column values of a secret_id row, in SECRET_ID_COLUMNS order. */
export function secretIdValues(s: SecretIdRecord) {
  return [
    s.accessor,
    s.machineId,
    s.hash,
    joinCidrs(s.cidrs),
    JSON.stringify(s.metadata),
    s.usesLeft ?? null,
    s.expiresAt ?? null,
    s.createdAt,
    s.revokedAt ?? null,
    s.usedUpAt ?? null,
  ] as const;
}
