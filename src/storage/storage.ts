import type { EventStore } from './event-store.js';
import type { FileStore } from './file-store.js';
import type { KeyringStore } from './keyring-store.js';
import type { LockStore } from './lock-store.js';
import type { MachineStore } from './machine-store.js';
import type { Notifier } from './notifier.js';
import type { OauthStateStore } from './oauth-state-store.js';
import type { PolicyStore } from './policy-store.js';
import type { RateLimitStore } from './rate-limit-store.js';
import type { SecretStore } from './secret-store.js';
import type { SettingsStore } from './settings-store.js';
import type { ShareRecordMirror, ShareStore } from './share-store.js';
import type { TokenStore } from './token-store.js';
import type { UserStore } from './user-store.js';

/** One opened backend: its stores plus lifecycle. Each backend folder builds one of these. */
export interface Storage {
  readonly name: string;
  readonly shares: ShareStore;
  readonly events: EventStore;
  /** Shares' file bytes: in SQL (rows, or files in HUSH_BLOB_DIR named by rows), in every mode. */
  readonly files: FileStore;
  readonly locks: LockStore;
  /** Accounts: always in the SQL database. */
  readonly users: UserStore;
  /** Runtime settings that differ from their defaults, and their version: in SQL. */
  readonly settings: SettingsStore;
  /** GitHub web-flow states between the authorize redirect and the callback: in SQL. */
  readonly oauthStates: OauthStateStore;
  /** Secret path policies: in the SQL database, so a new deny applies on every node at once. */
  readonly policies: PolicyStore;
  /** Sessions and tokens: in the SQL database, so revocation is seen by every node at once. */
  readonly tokens: TokenStore;
  /** Machine identities and their secret_ids: in SQL, so a secret_id use is counted once everywhere. */
  readonly machines: MachineStore;
  /** Stored secrets and their versions: in SQL. */
  readonly secrets: SecretStore;
  /** Key-encryption keys of the secret store, wrapped by the master key: in SQL. */
  readonly keyring: KeyringStore;
  /**
   * Tells the other nodes of a change (settings, revocations) so that their caches follow at once:
   * Redis pub/sub when Redis is configured, else PostgreSQL LISTEN/NOTIFY, else in-process
   * (SQLite). Best effort: listeners keep their poll.
   */
  readonly notifier: Notifier;
  /** The rate limiter's counters, shared by every node: with Redis only; undefined counts in memory. */
  readonly rateLimits: RateLimitStore | undefined;
  /**
   * A value derived from the master key the data was written with (never the key itself), so a
   * process started with another key refuses to run instead of failing on every reveal.
   */
  readonly keyCheck: {
    read(): Promise<string | undefined>;
    write(value: string): Promise<void>;
  };
  /**
   * Applies pending migrations, all or none; safe to call when there are none, and from several
   * processes at once (one applies them, the others find them applied).
   */
  migrate(): Promise<void>;
  /** Resolves when the backend answers; rejects otherwise (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A SQL backend: its share store can also keep records that another store holds the content of. */
export interface SqlStorage extends Storage {
  readonly shares: ShareStore & ShareRecordMirror;
}
