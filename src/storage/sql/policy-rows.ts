import type { PolicyListing, PolicyRecord } from '../policy-store.js';

export interface PolicyRow {
  id: string;
  subject_type: string;
  subject: string;
  path: string;
  capabilities: string;
  created_at: number;
}

/** A row joined with the username of a user subject (null for roles and deleted accounts). */
export interface PolicyListingRow extends PolicyRow {
  username: string | null;
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
  return { ...policyFromRow(row), username: row.username ?? undefined };
}
