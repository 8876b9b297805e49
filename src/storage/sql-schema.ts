import type { Generated } from 'kysely';

/** Table shapes as Kysely sees them, the same on SQLite and PostgreSQL. Times are epoch milliseconds. */
export interface SharesTable {
  id: string;
  token_hash: string;
  receipt_hash: string;
  ciphertext: Buffer | null;
  passphrase_hash: string | null;
  passphrase_scope: string;
  max_views: number;
  views_used: Generated<number>;
  failed_attempts: Generated<number>;
  state: Generated<string>;
  end_reason: string | null;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
}

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  share_id: string | null;
  client_ip: string | null;
  user_agent: string | null;
  detail: string | null;
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
  password_hash: string;
  created_at: number;
}

export interface SqlSchema {
  shares: SharesTable;
  events: EventsTable;
  meta: MetaTable;
  locks: LocksTable;
  users: UsersTable;
}
