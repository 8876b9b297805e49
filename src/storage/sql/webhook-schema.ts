/** The tables of webhook delivery (0017); see schema.ts for the rest. */

/** A webhook endpoint (0017): its signing secret sealed with a key derived from the master key. */
export interface WebhookEndpointsTable {
  id: string;
  /** Who registered it: 'user' or 'machine', and that principal's id. */
  owner_kind: string;
  owner_id: string;
  url: string;
  /** Comma-separated event types it receives. */
  events: string;
  /** 1: every account's events (registered by an admin); 0: its owner's only. */
  all_accounts: number;
  secret: Buffer;
  created_at: number;
}

/** One event owed to one endpoint (unique together); its id is the `webhook-id` of every attempt. */
export interface WebhookDeliveriesTable {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_seq: number;
  event_type: string;
  /** The JSON body sent, the same on every attempt; never content. */
  payload: string;
  /** 'pending', 'delivered' or 'failed'. */
  status: string;
  attempts: number;
  /** When it is due next; null once delivered or failed. */
  next_attempt_at: number | null;
  /** A sender holds it until then (claimDue); null when nobody does. */
  lease_until: number | null;
  last_status_code: number | null;
  /** A short reason of the last failure (no secret, no answer body). */
  last_error: string | null;
  delivered_at: number | null;
  created_at: number;
}

/** Where the webhook worker is in the audit log: one row, `deliveries`. */
export interface WebhookCursorTable {
  name: string;
  seq: number;
}
