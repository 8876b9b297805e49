import type { Selectable } from 'kysely';
import type { PolicyListing, PolicyRecord } from '../policy-store.js';
import type { PoliciesTable } from './schema.js';

export const POLICY_COLUMNS = [
  'id',
  'subject_type',
  'subject',
  'path',
  'capabilities',
  'created_at',
] as const satisfies readonly (keyof PoliciesTable)[];

export type PolicyRow = Selectable<PoliciesTable>;

/** A row with the name of a user or machine subject (null for roles and deleted principals). */
export interface PolicyListingRow extends PolicyRow {
  username: string | null;
  machine_name: string | null;
}

/** Capabilities are one comma-separated column. */
export const joinCapabilities = (capabilities: readonly string[]): string => capabilities.join(',');

export function policyFromRow(row: PolicyRow): PolicyRecord {
  return {
    id: row.id,
    subjectType: row.subject_type,
    subject: row.subject,
    path: row.path,
    capabilities: row.capabilities.split(','),
    createdAt: row.created_at,
  };
}

export function listingFromRow(row: PolicyListingRow): PolicyListing {
  return {
    ...policyFromRow(row),
    username: row.username ?? undefined,
    machineName: row.machine_name ?? undefined,
  };
}
