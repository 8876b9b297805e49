import type { Selectable } from 'kysely';
import type { RequestOwner, RequestState } from '../../shares/request-types.js';
import type { RequestRecord } from '../request-store.js';
import type { SecretRequestsTable } from './sharing-schema.js';

/** Named columns rather than `*`: a prepared `select *` fails on PostgreSQL once a migration adds one. */
export const REQUEST_COLUMNS = [
  'id',
  'request_hash',
  'respond_hash',
  'note',
  'answer',
  'state',
  'owner_kind',
  'owner_id',
  'created_at',
  'expires_at',
  'answered_at',
  'ended_at',
] as const satisfies readonly (keyof SecretRequestsTable)[];

export type RequestRow = Selectable<SecretRequestsTable>;

const optionalMs = (value: number | null) => (value === null ? undefined : Number(value));

export function ownerFromColumns(kind: string | null, id: string | null): RequestOwner | undefined {
  return (kind === 'user' || kind === 'machine') && id !== null ? { kind, id } : undefined;
}

/** A `secret_requests` row as the domain's RequestRecord; undefined for no row. */
export function requestFromRow(row: RequestRow | undefined): RequestRecord | undefined {
  if (!row) return undefined;
  return {
    id: row.id,
    requestHash: row.request_hash,
    respondHash: row.respond_hash,
    note: row.note ?? undefined,
    answer: row.answer ?? undefined,
    state: row.state as RequestState,
    owner: ownerFromColumns(row.owner_kind, row.owner_id),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    answeredAt: optionalMs(row.answered_at),
    endedAt: optionalMs(row.ended_at),
  };
}
