import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { type AuditService, createAuditService } from './audit/audit-service.js';
import { setUpGithubLogin } from './auth/github/github-setup.js';
import { revokeGithubSessionsOnNarrowing } from './auth/github/role-mapping-change.js';
import { createTokenService } from './auth/token-service.js';
import type { TokenService } from './auth/token-types.js';
import { createUserService, type UserService } from './auth/user-service.js';
import { normalizeUsername } from './auth/user-validation.js';
import { type Config, ConfigError } from './config/config.js';
import { createKeyring, type Keyring } from './crypto/keyring.js';
import { keyCheckValue, loadMasterKey, MasterKeyError } from './crypto/master-key.js';
import { createPassphraseHasher } from './crypto/passphrase-hasher.js';
import { HushError } from './errors/hush-error.js';
import { buildApp } from './http/app.js';
import type { TypedApp } from './http/routes/route-types.js';
import { createMetrics } from './metrics/metrics.js';
import { createPolicyChecker } from './secrets/policy-checker.js';
import { createPolicyService, type PolicyService } from './secrets/policy-service.js';
import type { BatchPolicyChecker } from './secrets/policy-types.js';
import { createSecretService, type SecretService } from './secrets/secret-service.js';
import { createSettingsService, type SettingsService } from './settings/settings-service.js';
import { shareSettingsFrom } from './settings/share-settings.js';
import { createShareService, type ShareService } from './shares/share-service.js';
import { createSweeper, type Sweeper } from './shares/share-sweeper.js';
import { type Backends, openBackends } from './storage/open-storage.js';
import type { Storage } from './storage/storage.js';

/** Everything one hush process is made of, wired but not yet listening. */
export interface Hush {
  readonly app: TypedApp;
  readonly storage: Storage;
  readonly shares: ShareService;
  readonly audit: AuditService;
  readonly users: UserService;
  readonly settings: SettingsService;
  readonly tokens: TokenService;
  readonly policies: PolicyService;
  readonly policyChecker: BatchPolicyChecker;
  readonly secrets: SecretService;
  readonly keyring: Keyring;
  readonly sweeper: Sweeper;
  /** Stops accepting, drains in-flight requests, stops the sweeper, closes storage. */
  close(): Promise<void>;
}

export interface RunningServer extends Hush {
  /** The base URL the server listens on, e.g. http://127.0.0.1:8080. */
  readonly url: string;
}

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** The composition root: config in, a wired process out. */
export async function createHush(config: Config, logger: Logger): Promise<Hush> {
  const backends = await openBackends(config, logger);
  const { storage } = backends;
  const masterKey = await prepareStorage(config, backends, logger);

  const metrics = createMetrics();
  const audit = createAuditService({
    events: storage.events,
    onRecord: (event) => metrics.auditEvents.inc({ type: event.type }),
  });
  const settings = createSettingsService({
    store: storage.settings,
    audit,
    config,
    logger,
    redis: backends.redis,
    redisKeyPrefix: config.redis?.keyPrefix,
    effects: {
      'github.role_mapping': revokeGithubSessionsOnNarrowing({ sessions: storage.tokens, audit }),
    },
  });
  await settings.start().catch(async (error: unknown) => {
    await settings.close();
    await backends.close();
    throw error;
  });
  const shareSettings = shareSettingsFrom(settings);
  const hasher = createPassphraseHasher({
    // Worker errors are load failures or exit codes; they never carry a passphrase.
    onWorkerError: (error) =>
      logger.error({ errName: error.name, reason: error.message }, 'hashing worker failed'),
  });
  const policyChecker = createPolicyChecker({ store: storage.policies });
  const shares = createShareService({
    store: storage.shares,
    audit,
    settings: shareSettings,
    masterKey,
    hasher,
  });
  const users = createUserService({ store: storage.users, hasher, audit });
  const tokens = createTokenService({ store: storage.tokens, users, audit, settings });
  const github = setUpGithubLogin(config.github, {
    states: storage.oauthStates,
    users,
    tokens,
    audit,
    settings,
    logger,
  });
  const policies = createPolicyService({ store: storage.policies, users: storage.users, audit });
  const keyring = createKeyring({ store: storage.keyring, masterKey });
  const secrets = createSecretService({
    store: storage.secrets,
    keyring,
    policies: policyChecker,
    audit,
    settings,
    logger,
  });
  await bootstrapAdmin(config, users, logger).catch(async (error: unknown) => {
    await hasher.close();
    await settings.close();
    await backends.close();
    throw error;
  });
  const sweeper = createSweeper({
    store: storage.shares,
    secrets: storage.secrets,
    sessions: storage.tokens,
    locks: storage.locks,
    audit,
    settings: shareSettings,
    logger,
    intervalMs: config.sweep.intervalSeconds * 1000,
    batchSize: config.sweep.batchSize,
    eventRetentionSeconds: () => settings.get('events.retention_seconds'),
    onSwept: (outcome, count) => metrics.sweptShares.inc({ outcome }, count),
    onSkipped: () => metrics.sweeperSkips.inc(),
  });

  let accepting = true;
  const app = await buildApp({
    config,
    logger,
    version: packageVersion(),
    shares,
    audit,
    users,
    settings,
    tokens,
    policies,
    secrets,
    github,
    storageReady: () => storage.ping(),
    redis: backends.redis,
    redisKeyPrefix: config.redis?.keyPrefix,
    metrics,
    accepting: () => accepting,
  });

  return {
    app,
    storage,
    shares,
    audit,
    users,
    settings,
    tokens,
    policies,
    policyChecker,
    secrets,
    keyring,
    sweeper,
    async close() {
      accepting = false;
      await sweeper.stop();
      await app.close();
      await hasher.close();
      await settings.close();
      await backends.close();
    },
  };
}

/** Creates the first admin from HUSH_BOOTSTRAP_ADMIN_* when no admin exists yet. */
async function bootstrapAdmin(config: Config, users: UserService, logger: Logger): Promise<void> {
  if (!config.bootstrapAdmin) return;
  const { username, password } = config.bootstrapAdmin;
  try {
    if (await users.bootstrapAdmin(username, password)) {
      logger.warn(
        { username: normalizeUsername(username) },
        'created the first admin account (HUSH_BOOTSTRAP_ADMIN_*)',
      );
    }
  } catch (error) {
    // A username or password the account rules refuse is a configuration error (exit 2).
    if (error instanceof HushError && error.code === 'invalid_user') {
      throw new ConfigError([`HUSH_BOOTSTRAP_ADMIN_*: ${error.message}`]);
    }
    throw error;
  }
}

/** Migrates (unless disabled) and loads the master key; closes the backends if either fails. */
async function prepareStorage(config: Config, backends: Backends, logger: Logger): Promise<Buffer> {
  try {
    if (config.migrateOnStart) await backends.storage.migrate();
    return await openMasterKey(config, backends.storage, logger);
  } catch (error) {
    await backends.close();
    throw error;
  }
}

/**
 * Loads the master key and checks it against the one the database was written with. A wrong or
 * lost key refuses to start: running on would turn every reveal into an error.
 */
async function openMasterKey(config: Config, storage: Storage, logger: Logger): Promise<Buffer> {
  const stored = await storage.keyCheck.read().catch((error: unknown) => {
    throw new MasterKeyError(
      `cannot read the database's key check (${(error as Error).message}); ` +
        'if migrations are disabled, run `node dist/main.js migrate` first',
    );
  });
  const masterKey = loadMasterKey(config, stored === undefined);
  if (masterKey.origin === 'created') {
    logger.warn(
      { file: masterKey.file },
      'created a new master key file (mode 0600): back it up, shares cannot be read without it',
    );
  } else {
    logger.info({ source: masterKey.origin, file: masterKey.file }, 'master key loaded');
  }
  if (masterKey.tightenedFrom !== undefined) {
    logger.warn(
      { file: masterKey.file, previousMode: masterKey.tightenedFrom },
      'master key file was readable by others: set to mode 0600',
    );
  }
  const check = keyCheckValue(masterKey.key);
  if (stored === undefined) await storage.keyCheck.write(check);
  // Re-read: when two processes start on a fresh file, the first write wins and both must agree.
  const agreed = (await storage.keyCheck.read()) ?? check;
  if (agreed !== check) {
    const source = masterKey.origin === 'env' ? 'HUSH_MASTER_KEY' : masterKey.file;
    const where = config.database ? 'HUSH_DATABASE_URL' : config.sqlitePath;
    throw new MasterKeyError(
      `the master key (${source}) is not the key this database was written with (${where}); ` +
        'restore the original key',
    );
  }
  return masterKey.key;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const hush = await createHush(config, logger);
  const url = await hush.app
    .listen({ host: config.host, port: config.port })
    .catch(async (error: unknown) => {
      await hush.close();
      throw error;
    });
  hush.sweeper.start();
  logger.info({ url, storage: hush.storage.name, dataDir: config.dataDir }, 'hush is listening');
  return { ...hush, url };
}
