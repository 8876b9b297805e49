import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { AuditService } from './audit/audit-service.js';
import type { MachineService } from './auth/machine-types.js';
import type { TokenService } from './auth/token-types.js';
import type { UserService } from './auth/user-service.js';
import type { Config } from './config/config.js';
import { bootstrapAdmin } from './core/bootstrap-admin.js';
import { createDisposer, type Disposer, openOrUnwind } from './core/disposer.js';
import { openCore } from './core/open-core.js';
import { openLiveServices } from './core/open-live-services.js';
import type { Keyring } from './crypto/keyring.js';
import { buildApp } from './http/app.js';
import type { TypedApp } from './http/route-types.js';
import type { KvService } from './secrets/kv-types.js';
import type { PolicyService } from './secrets/policy-service.js';
import type { BatchPolicyChecker } from './secrets/policy-types.js';
import type { SecretService } from './secrets/secret-service.js';
import type { SettingsService } from './settings/settings-service.js';
import type { ShareService } from './shares/share-service.js';
import type { Storage } from './storage/storage.js';
import { openServerWorkers } from './workers/server-workers.js';
import type { Sweeper } from './workers/share-sweeper.js';
import type { WorkerRunner } from './workers/worker-runner.js';

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
  readonly kv: KvService;
  readonly machines: MachineService;
  readonly keyring: Keyring;
  /** Background jobs; startServer starts them once listening. */
  readonly workers: WorkerRunner;
  /** The sweeper job: `runOnce()` sweeps now, under its lock. */
  readonly sweeper: Sweeper;
  /**
   * Stops accepting, drains in-flight requests, stops the workers, closes settings, the hashing
   * pool and storage: every opened resource, newest first, once.
   */
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

/** The composition root: config in, a wired process out (core, then HTTP and workers on it). */
export async function createHush(config: Config, logger: Logger): Promise<Hush> {
  const disposer = createDisposer(logger);
  return openOrUnwind(disposer, () => assemble(config, logger, disposer));
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const disposer = createDisposer(logger);
  return openOrUnwind(disposer, async () => {
    const hush = await assemble(config, logger, disposer);
    const url = await hush.app.listen({ host: config.host, port: config.port });
    hush.workers.start();
    logger.info({ url, storage: hush.storage.name, dataDir: config.dataDir }, 'hush is listening');
    return { ...hush, url };
  });
}

/** Opens everything a serving process needs, each closer registered on `disposer` as it opens. */
async function assemble(config: Config, logger: Logger, disposer: Disposer): Promise<Hush> {
  const core = await openCore(config, logger, disposer);
  const live = await openLiveServices(core, disposer);
  await bootstrapAdmin(config, core.users, logger);

  let accepting = true;
  const app = await buildApp({
    config,
    logger,
    version: packageVersion(),
    shares: live.shares,
    files: live.files,
    audit: core.audit,
    users: core.users,
    settings: live.settings,
    tokens: live.tokens,
    policies: core.policies,
    secrets: live.secrets,
    kv: live.kv,
    machines: live.machines,
    github: live.github,
    storageReady: () => core.storage.ping(),
    rateLimits: core.storage.rateLimits,
    metrics: core.metrics,
    accepting: () => accepting,
  });
  disposer.defer('http app', () => app.close());
  const workers = openServerWorkers(core, live, disposer);
  // Runs first at shutdown: readiness turns false before the app starts draining.
  disposer.defer('readiness', () => {
    accepting = false;
  });

  return {
    app,
    storage: core.storage,
    shares: live.shares,
    audit: core.audit,
    users: core.users,
    settings: live.settings,
    tokens: live.tokens,
    policies: core.policies,
    policyChecker: core.policyChecker,
    secrets: live.secrets,
    kv: live.kv,
    machines: live.machines,
    keyring: core.keyring,
    workers: workers.runner,
    sweeper: workers.sweeper,
    close: () => disposer.close(),
  };
}
