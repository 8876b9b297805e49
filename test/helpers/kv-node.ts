import type { AuditService } from '../../src/audit/audit-service.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { loadConfig } from '../../src/config/config.js';
import { createKeyring } from '../../src/crypto/keyring.js';
import { createLogger } from '../../src/logging/logger.js';
import { kvContext } from '../../src/secrets/kv-context.js';
import { createKvService } from '../../src/secrets/kv-service.js';
import type { KvService } from '../../src/secrets/kv-types.js';
import { createPolicyChecker } from '../../src/secrets/policy-checker.js';
import { createSecretService, type SecretService } from '../../src/secrets/secret-service.js';
import { SETTING_DEFINITIONS, type SettingKey } from '../../src/settings/setting-definitions.js';
import type { Storage } from '../../src/storage/storage.js';

/** A clock tests move by hand, shared by every node's services. */
export interface TestClock {
  now: number;
}

export interface KvNode {
  readonly kv: KvService;
  readonly secrets: SecretService;
  readonly audit: AuditService;
}

/**
 * The KV and seed secret services of one node, as open-live-services.ts builds them, on that
 * node's real stores: the keyring (one master key for every node), policies, the audit log.
 * Settings at their defaults unless `overrides` says otherwise.
 */
export function kvNode(
  storage: Storage,
  masterKey: Buffer,
  clock: TestClock,
  overrides: Partial<Record<SettingKey, unknown>> = {},
): KvNode {
  const config = loadConfig({ HUSH_DATA_DIR: '/nonexistent' });
  const audit = createAuditService({ events: storage.events, now: () => new Date(clock.now) });
  const ctx = kvContext({
    store: storage.secrets,
    keyring: createKeyring({ store: storage.keyring, masterKey, now: () => clock.now }),
    policies: createPolicyChecker({ store: storage.policies }),
    audit,
    settings: { get: (key) => (overrides[key] ?? SETTING_DEFINITIONS[key].fallback(config)) as never },
    logger: createLogger('silent'),
    now: () => clock.now,
  });
  return { kv: createKvService(ctx), secrets: createSecretService(ctx), audit };
}
