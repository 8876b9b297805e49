import { humanDuration } from '../format/human-duration.js';
import type { MachineResponse, SecretIdInfoResponse } from './machine-api.js';

/** Rows as aligned columns: each but the last padded to its widest cell, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  const lines = rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 2)))
      .join('')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** 0 means the server's setting (TTLs) or no limit (uses, secret_id TTL), as the API defines it. */
const seconds = (value: number, zero: string) => (value === 0 ? zero : humanDuration(value));
const count = (value: number) => (value === 0 ? 'unlimited' : String(value));
const networks = (cidrs: readonly string[] | null) =>
  cidrs === null || cidrs.length === 0 ? 'any address' : cidrs.join(' ');

export function machineTable(machines: readonly MachineResponse[]): string {
  if (machines.length === 0) return 'no machines\n';
  return table([
    ['NAME', 'ROLE', 'TOKEN TTL', 'SECRET-ID TTL', 'SECRET-ID USES', 'CREATED'],
    ...machines.map((m) => [
      m.name,
      m.role,
      seconds(m.token_ttl_seconds, 'default'),
      seconds(m.secret_id_ttl_seconds, 'none'),
      count(m.secret_id_num_uses),
      m.created_at,
    ]),
  ]);
}

export function describeMachine(m: MachineResponse): string {
  return table([
    ['name:', m.name],
    ['role_id:', m.role_id],
    ['role:', m.role],
    ['token ttl:', seconds(m.token_ttl_seconds, 'the server default')],
    ['token max ttl:', seconds(m.token_max_ttl_seconds, 'the server default')],
    ['token uses:', count(m.token_num_uses)],
    ['token networks:', networks(m.token_bound_cidrs)],
    ['secret_id ttl:', seconds(m.secret_id_ttl_seconds, 'no expiry')],
    ['secret_id uses:', count(m.secret_id_num_uses)],
    ['sign-in networks:', networks(m.secret_id_bound_cidrs)],
    ['created:', m.created_at],
    ['updated:', m.updated_at],
    ['id:', m.id],
  ]);
}

export function secretIdTable(ids: readonly SecretIdInfoResponse[]): string {
  if (ids.length === 0) return 'no live secret_ids\n';
  return table([
    ['ACCESSOR', 'CREATED', 'EXPIRES', 'USES LEFT', 'NETWORKS'],
    ...ids.map((s) => [
      s.accessor,
      s.created_at,
      s.expires_at ?? 'never',
      s.uses_left === null ? 'unlimited' : String(s.uses_left),
      networks(s.cidrs),
    ]),
  ]);
}
