import type { Logger } from 'pino';
import type { AuditService } from '../audit/audit-service.js';
import type { GithubLogin } from '../auth/github/github-login.js';
import type { MachineService } from '../auth/machine-types.js';
import type { TokenService } from '../auth/token-types.js';
import type { UserService } from '../auth/user-service.js';
import type { Config } from '../config/config.js';
import type { Keyring } from '../crypto/keyring.js';
import type { PassphraseHasher } from '../crypto/passphrase-hasher.js';
import type { Metrics } from '../metrics/metrics.js';
import type { KvService } from '../secrets/kv-types.js';
import type { PolicyService } from '../secrets/policy-service.js';
import type { BatchPolicyChecker } from '../secrets/policy-types.js';
import type { SecretService } from '../secrets/secret-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { ShareFiles } from '../shares/share-files.js';
import type { ShareService } from '../shares/share-service.js';
import type { Storage } from '../storage/storage.js';

/**
 * Config → storage → the services that need nothing live: what every server-side command shares.
 * Opening it starts no worker job and no hashing thread (the pool opens with the first hash or verify);
 * only the storage's own upkeep runs (SQLite's WAL checkpointer).
 */
export interface Core {
  readonly config: Config;
  readonly logger: Logger;
  readonly storage: Storage;
  readonly metrics: Metrics;
  readonly audit: AuditService;
  /** Checked against the database's key check before anything else runs on it. */
  readonly masterKey: Buffer;
  readonly keyring: Keyring;
  /** Argon2id off-thread; its pool opens with the first hash or verify. */
  readonly hasher: PassphraseHasher;
  readonly users: UserService;
  readonly policies: PolicyService;
  readonly policyChecker: BatchPolicyChecker;
}

/** What serving adds to the core: the services that read runtime settings, kept live. */
export interface LiveServices {
  readonly settings: SettingsService;
  readonly shares: ShareService;
  readonly files: ShareFiles;
  readonly tokens: TokenService;
  readonly github: GithubLogin;
  readonly secrets: SecretService;
  /** KV version 2 over the same secrets, sharing SecretService's steps. */
  readonly kv: KvService;
  /** Machine identities: their sign-in issues sessions through `tokens`. */
  readonly machines: MachineService;
}
