import type { Logger } from 'pino';
import { createAuditService } from '../audit/audit-service.js';
import { createUserService } from '../auth/user-service.js';
import type { Config } from '../config/config.js';
import { createKeyring } from '../crypto/keyring.js';
import { createPassphraseHasher } from '../crypto/passphrase-hasher.js';
import { createMetrics } from '../metrics/metrics.js';
import { createPolicyChecker } from '../secrets/policy-checker.js';
import { createPolicyService } from '../secrets/policy-service.js';
import { openBackends } from '../storage/open-storage.js';
import type { Core } from './core-types.js';
import type { Disposer } from './disposer.js';
import { lazyHasher } from './lazy-hasher.js';
import { openMasterKey } from './master-key-check.js';

/**
 * Opens storage (migrating unless disabled), checks the master key and builds the services that
 * need nothing live. Each resource registers its closer on `disposer` as it opens; on a failure
 * the caller closes the disposer (see openOrUnwind).
 */
export async function openCore(config: Config, logger: Logger, disposer: Disposer): Promise<Core> {
  const backends = await openBackends(config, logger);
  disposer.defer('storage', () => backends.close());
  const { storage } = backends;
  if (config.migrateOnStart) await storage.migrate();
  const masterKey = await openMasterKey(config, storage, logger);

  const metrics = createMetrics();
  const audit = createAuditService({
    events: storage.events,
    onRecord: (event) => metrics.auditEvents.inc({ type: event.type }),
  });
  const hasher = lazyHasher(() =>
    createPassphraseHasher({
      // Worker errors are load failures or exit codes; they never carry a passphrase.
      onWorkerError: (error) =>
        logger.error({ errName: error.name, reason: error.message }, 'hashing worker failed'),
    }),
  );
  disposer.defer('hashing pool', () => hasher.close());
  return {
    config,
    logger,
    storage,
    metrics,
    audit,
    masterKey,
    keyring: createKeyring({ store: storage.keyring, masterKey }),
    hasher,
    users: createUserService({ store: storage.users, hasher, audit }),
    policies: createPolicyService({
      store: storage.policies,
      users: storage.users,
      machines: storage.machines,
      audit,
    }),
    policyChecker: createPolicyChecker({ store: storage.policies }),
  };
}
