import type { Generated } from 'kysely';
import type {
  DownloadGrantsTable,
  SecretRequestsTable,
  UploadPartsTable,
  UploadsTable,
} from './sharing-schema.js';
import type { WebhookCursorTable, WebhookDeliveriesTable, WebhookEndpointsTable } from './webhook-schema.js';

/** Table shapes as Kysely sees them, the same on SQLite and PostgreSQL. Times are epoch milliseconds. */
export interface SharesTable {
  id: string;
  token_hash: string;
  receipt_hash: string;
  ciphertext: Buffer | null;
  passphrase_hash: string | null;
  passphrase_scope: string;
  key_check_hash: string | null;
  max_views: number;
  views_used: Generated<number>;
  failed_attempts: Generated<number>;
  state: Generated<string>;
  end_reason: string | null;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  /** A principal kind and id when the share was created while signed in (0014). */
  owner_kind: string | null;
  owner_id: string | null;
}

/** The audit log (see audit-types.ts); `seq` only grows (never reused, not even after a purge). */
export interface EventsTable {
  seq: Generated<number>;
  /** Unique: a batch moved in again (the Redis outbox after a crash) is skipped, not doubled. */
  id: string;
  /** Namespaced: `share.viewed`, `token.revoked`, … */
  type: string;
  actor_kind: string;
  actor_id: string | null;
  actor_name: string | null;
  subject_kind: string | null;
  subject_id: string | null;
  /** A JSON object; never a value, passphrase or token. */
  data: string;
  client_ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  created_at: number;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface LocksTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface UsersTable {
  id: string;
  username: string;
  email: string | null;
  role: string;
  /** Empty for accounts that sign in only through GitHub. */
  password_hash: string;
  created_at: number;
  github_id: string | null;
  /** UTS #39 skeleton of a local account's username, unique (see username-skeleton.ts). */
  username_skeleton: string | null;
}

/** A login: the family its access and refresh tokens belong to; revoking it ends them all. */
export interface SessionsTable {
  id: string;
  /** The principal's id: an account's or a machine's (no foreign key since 0012; see principal_kind). */
  user_id: string;
  /** Whose id user_id is: 'user' (accounts) or 'machine'. */
  principal_kind: Generated<string>;
  client_id: string | null;
  client_ip: string | null;
  /** The access-token lifetime chosen at sign-in, kept by every renewal. */
  access_ttl_seconds: number;
  created_at: number;
  /** The max TTL: no token of the session outlives it, however often it is renewed. */
  expires_at: number;
  revoked_at: number | null;
}

export interface TokensTable {
  id: string;
  hash: string;
  kind: string;
  session_id: string;
  scope: string;
  /** Comma-separated CIDRs the token may be used from; null for anywhere. */
  bound_cidrs: string | null;
  max_uses: number | null;
  uses: Generated<number>;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  /** Refresh tokens: when renew spent it. Presenting it again revokes the session. */
  rotated_at: number | null;
}

/** OAuth web-flow state between the authorize redirect and the callback; used once. */
export interface OauthStatesTable {
  state_hash: string;
  code_verifier: string;
  created_at: number;
  expires_at: number;
}

/** Key-encryption keys, each wrapped by the master key; the highest version is the active one. */
export interface KeyringTable {
  version: number;
  wrapped_key: Buffer;
  created_at: number;
}

export interface SecretsTable {
  id: string;
  name: string;
  current_version: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  /** KV v2 settings (0011): 0 = the `secrets.max_versions` setting. */
  max_versions: number;
  /** 0 or 1. */
  cas_required: number;
  /** 0 = never. */
  delete_version_after_seconds: number;
  /** A JSON object of strings, not secret. */
  custom_metadata: string;
}

/**
 * One version's data and metadata, sealed with its own data key, which the keyring wraps. A
 * destroyed version keeps its row with zero-length ciphertext and wrapped key.
 */
export interface SecretVersionsTable {
  secret_id: string;
  version: number;
  ciphertext: Buffer;
  wrapped_key: Buffer;
  key_version: number;
  created_at: number;
  deleted_at: number | null;
  destroyed_at: number | null;
}

export interface PoliciesTable {
  id: string;
  /** 'role', 'user' or 'machine'. */
  subject_type: string;
  /** A role name, a user id or a machine id. */
  subject: string;
  path: string;
  /** Comma-separated capabilities. */
  capabilities: string;
  created_at: number;
}

/** A machine identity (AppRole's role); durations in seconds, 0 = the setting or no limit. */
export interface MachinesTable {
  id: string;
  name: string;
  /** The public half of a machine's sign-in: random, unique. */
  role_id: string;
  role: string;
  token_ttl_seconds: number;
  token_max_ttl_seconds: number;
  token_num_uses: number;
  secret_id_ttl_seconds: number;
  secret_id_num_uses: number;
  /** Comma-separated CIDRs a sign-in must come from; null for anywhere. */
  secret_id_bound_cidrs: string | null;
  /** Comma-separated CIDRs its tokens are bound to; null for anywhere. */
  token_bound_cidrs: string | null;
  created_at: number;
  updated_at: number;
}

/** A machine's secret_id: only the SHA-256 of what the client holds; listed by accessor. */
export interface MachineSecretIdsTable {
  accessor: string;
  machine_id: string;
  hash: string;
  /** Comma-separated CIDRs of this secret_id; null for the machine's. */
  cidrs: string | null;
  /** A JSON object of string labels. */
  metadata: string;
  /** Sign-ins left; null for unlimited. */
  uses_left: number | null;
  expires_at: number | null;
  created_at: number;
  revoked_at: number | null;
  /** When its last counted use was spent (0013); null while it has uses left, or they are uncounted. */
  used_up_at: number | null;
}

/** Runtime settings that differ from their defaults, as JSON values. */
export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: string | null;
}

export interface SqlSchema {
  shares: SharesTable;
  events: EventsTable;
  meta: MetaTable;
  locks: LocksTable;
  users: UsersTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  oauth_states: OauthStatesTable;
  keyring: KeyringTable;
  secrets: SecretsTable;
  secret_versions: SecretVersionsTable;
  policies: PoliciesTable;
  settings: SettingsTable;
  machines: MachinesTable;
  machine_secret_ids: MachineSecretIdsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_cursor: WebhookCursorTable;
  secret_requests: SecretRequestsTable;
  uploads: UploadsTable;
  upload_parts: UploadPartsTable;
  download_grants: DownloadGrantsTable;
}
